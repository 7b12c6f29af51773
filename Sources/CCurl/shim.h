// libcurl's easy interface for the Hub client (SkipChatHub, its only user). curl_easy_setopt is
// variadic, which Swift cannot call: one typed wrapper per argument kind.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

static inline CURLcode skipchat_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Strings are copied by libcurl (CURLOPT_URL, CURLOPT_USERAGENT, ...).
static inline CURLcode skipchat_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Pointers libcurl keeps until the transfer ends (a header list, an error buffer, callback data).
static inline CURLcode skipchat_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature.
static inline CURLcode skipchat_curl_set_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// CURL_GLOBAL_DEFAULT is a macro expression Swift does not import.
static inline CURLcode skipchat_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
