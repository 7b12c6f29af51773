// Thread pool lifecycle and the bandwidth probe.
import CKernels
import SkipChatEngine
import XCTest

final class PoolTests: XCTestCase {
    func testThreadCounts() {
        for n in [-1, 0, 1, 4] {
            let pool = sc_pool_create(Int32(n))
            XCTAssertEqual(sc_pool_threads(pool), Int32(max(n, 1)))
            sc_pool_destroy(pool)
        }
        XCTAssertEqual(sc_pool_threads(nil), 1)
    }

    func testPoolSurvivesIdleSleepAndManyCalls() {
        var rng = SeededGenerator(seed: 30)
        let m = TestMatrix.random(type: Int32(SC_TYPE_BF16), rows: 300, cols: 64, rng: &rng)
        let x = rng.floats(64)
        let pool = sc_pool_create(3)
        defer { sc_pool_destroy(pool) }
        let expected = runMatmul([m], x: x, T: 1, pool: nil)[0]
        for i in 0..<2000 {
            if i == 1000 { usleep(200_000) }   // long enough for the workers to go to sleep
            XCTAssertEqual(runMatmul([m], x: x, T: 1, pool: pool)[0], expected)
        }
    }

    func testOversubscribedPoolGivesTheSameResults() {
        // More threads than cores: some workers join late or skip jobs; results must not change.
        var rng = SeededGenerator(seed: 31)
        let m = TestMatrix.random(type: Int32(SC_TYPE_Q4_1), rows: 999, cols: 128, rng: &rng)
        let x = rng.floats(5 * 128)
        let expected = runMatmul([m], x: x, T: 5, pool: nil)[0]
        let pool = sc_pool_create(8)
        defer { sc_pool_destroy(pool) }
        for _ in 0..<300 { XCTAssertEqual(runMatmul([m], x: x, T: 5, pool: pool)[0], expected) }
    }

    func testReadBandwidthIsPositive() {
        let pool = sc_pool_create(2)
        defer { sc_pool_destroy(pool) }
        XCTAssertGreaterThan(sc_bench_read_bandwidth(pool, 8 << 20, 2), 0)
        XCTAssertEqual(sc_bench_read_bandwidth(pool, 0, 1), 0)
    }
}
