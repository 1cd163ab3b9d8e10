// Berita acara drafts kept on a kabupaten node until enough approvers have
// signed them (issue 17): an operator's `jejak ba draft --node` leaves the
// draft here, not in the log, so that approvers at different desks sign the
// same document — in the console's browser page or with `jejak ba sign
// --node --draft ID` — and an operator submits it once the threshold is met.
//
// One file per draft, NODE/ba-drafts/<id>.json (mode 0600, written
// atomically): {"format":"jejak-ba-draft/1","id","created","expires",
// "created_by","warnings":[...],"berita_acara":"<the file's text>"}. Bounded:
// kMaxPendingDrafts at once, each expiring kDraftLifetime after it was made.
// A signature is added only once it verifies over the draft's header
// (AddBeritaAcaraSignature); whether its key may approve is the caller's
// judgment (it holds the governance state). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/pkh/berita_acara.h"

namespace jejak {

inline constexpr size_t kMaxPendingDrafts = 64;
inline constexpr int64_t kDraftLifetime = 7 * 24 * 3600;  // seconds

struct PendingDraft {
  std::string id;  // 16 lowercase hex
  int64_t created = 0, expires = 0;
  std::string created_by;  // the key name (CLI) or console account that made it
  std::vector<std::string> warnings;
  BeritaAcara ba;
};

class PendingDrafts {
 public:
  explicit PendingDrafts(std::string node_dir);

  // Keeps a new draft. ResourceExhausted when kMaxPendingDrafts are pending.
  Result<PendingDraft> Keep(const BeritaAcara& ba, std::vector<std::string> warnings,
                            std::string created_by, int64_t now);
  // The live drafts, oldest first; expired ones are removed on the way.
  Result<std::vector<PendingDraft>> List(int64_t now);
  // NotFound for an unknown, withdrawn, submitted or expired id.
  Result<PendingDraft> Get(std::string_view id, int64_t now);
  // Adds a verified signature (AddBeritaAcaraSignature) and writes the draft.
  Result<PendingDraft> AddSignature(std::string_view id, const PublicKey& key,
                                    const Signature& signature, std::string_view key_name,
                                    int64_t now);
  // Removes it (withdrawn, or submitted). NotFound if it is not there.
  Status Remove(std::string_view id);

 private:
  std::string Path(std::string_view id) const;
  Result<std::vector<PendingDraft>> ListLocked(int64_t now);  // mu_ held
  Result<PendingDraft> Read(std::string_view id) const;
  Status Write(const PendingDraft& d) const;

  std::string dir_;
  std::mutex mu_;
};

// Whether `id` is a draft id (16 lowercase hex digits).
bool ValidDraftId(std::string_view id);

}  // namespace jejak
