#!/usr/bin/env bash
# Tests the AVX-VNNI and AVX-512 kernels on a CPU that may lack them: compiles them against SIMDe
# (Debian's libsimde-dev, which emulates the intrinsics in portable C) with a driver that checks
# every weight type and precision against a double-precision reference and checks bit-identity
# across batch sizes. Speed means nothing here; correctness of the code does.
# Usage: scripts/check-kernels-emulated.sh   (make test runs it)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f /usr/include/simde/x86/avx512.h ]; then
    echo "check-kernels-emulated: SIMDe is missing (scripts/setup.sh --tests installs libsimde-dev)" >&2
    exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
k="$root/Sources/CKernels"
# gcc: SIMDe 0.7 trips over clang 21's own declarations of the AVX-512 intrinsics.
gcc -std=gnu11 -O1 -ffp-contract=off -fno-math-errno -DSC_EMULATE_SIMD -I"$k/include" -w -Wno-psabi \
    "$root/scripts/kernel-emulation/check.c" "$k/quant.c" "$k/weight_types.c" "$k/matmul_scalar.c" "$k/matmul_avx2.c" \
    "$k/matmul_avx2_vnni.c" "$k/matmul_avx512.c" \
    "$k/decoded_types.c" "$k/matmul_decoded_scalar.c" "$k/matmul_decoded_avx2.c" "$k/matmul_kquants_avx512.c" -lm -o "$out/check"
"$out/check"
