// OpenSSL's libcrypto, for SHA-256 only (EVP digest interface): the Hub client checks every
// downloaded file against its LFS etag before it enters the cache (SkipChatHub, its only user).
#include <openssl/evp.h>
