#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace jejak {
namespace {

// Fetching the algorithm once avoids OpenSSL 3's per-call provider lookup,
// which otherwise costs more than hashing a 65-byte node.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) throw std::runtime_error("OpenSSL has no SHA256");
    return m;
  }();
  return md;
}

struct CtxHolder {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~CtxHolder() { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* ThreadCtx() {
  thread_local CtxHolder holder;
  return holder.ctx;
}

void Init(EVP_MD_CTX* ctx) {
  if (EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) != 1) throw std::runtime_error("SHA256 init");
}

Hash Final(EVP_MD_CTX* ctx) {
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
    throw std::runtime_error("SHA256 final");
  }
  return out;
}

}  // namespace

Hash Sha256(ByteSpan data) {
  EVP_MD_CTX* ctx = ThreadCtx();
  Init(ctx);
  EVP_DigestUpdate(ctx, data.data(), data.size());
  return Final(ctx);
}

Hash Sha256Prefixed(uint8_t prefix, ByteSpan a, ByteSpan b) {
  EVP_MD_CTX* ctx = ThreadCtx();
  Init(ctx);
  EVP_DigestUpdate(ctx, &prefix, 1);
  EVP_DigestUpdate(ctx, a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(ctx, b.data(), b.size());
  return Final(ctx);
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  Init(static_cast<EVP_MD_CTX*>(ctx_));
}
Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256Stream::Update(ByteSpan data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}
Hash Sha256Stream::Finish() {
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  Hash h = Final(ctx);
  Init(ctx);
  return h;
}

}  // namespace jejak
