#pragma once
// OpenSSL's libcrypto (Debian's libssl-dev): SHA-256 of attachments as they stream in.
#include <openssl/evp.h>
