#include "node/ba_drafts.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "crypto/json_text.h"
#include "node/console_sessions.h"

namespace jejak {
namespace {

constexpr char kFormat[] = "jejak-ba-draft/1";
constexpr size_t kMaxDraftBytes = size_t{96} << 20;  // a berita acara file (64 MiB) and the rest

}  // namespace

bool ValidDraftId(std::string_view id) {
  return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

PendingDrafts::PendingDrafts(std::string node_dir) : dir_(std::move(node_dir) + "/ba-drafts") {}

std::string PendingDrafts::Path(std::string_view id) const {
  return fmt::format("{}/{}.json", dir_, id);
}

Result<PendingDraft> PendingDrafts::Read(std::string_view id) const {
  if (!ValidDraftId(id)) return NotFound("no such pending draft");
  auto text = ReadFile(Path(id), kMaxDraftBytes);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
    return NotFound("no such pending draft (withdrawn, submitted or expired)");
  }
  if (!text.ok()) return text.status();
  const std::string where = Path(id);
  ASSIGN_OR_RETURN(nlohmann::json j,
                   ParseJsonDocument(*text, where, JsonLimits{kMaxDraftBytes, 3}));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, where));
  RETURN_IF_ERROR(
      f.Only({"format", "id", "created", "expires", "created_by", "warnings", "berita_acara"},
             "pending draft"));
  std::string format, ba_text;
  ASSIGN_OR_RETURN(format, f.Str("format"));
  if (format != kFormat) return f.Error("format", fmt::format("must be \"{}\"", kFormat));
  PendingDraft d;
  ASSIGN_OR_RETURN(d.id, f.Str("id"));
  if (d.id != id) return f.Error("id", "is not the file's");
  ASSIGN_OR_RETURN(d.created, f.I64("created"));
  ASSIGN_OR_RETURN(d.expires, f.I64("expires"));
  ASSIGN_OR_RETURN(d.created_by, f.Str("created_by"));
  const nlohmann::json* warnings = nullptr;
  ASSIGN_OR_RETURN(warnings, f.Array("warnings"));
  for (const auto& w : *warnings) {
    if (!w.is_string()) return f.Error("warnings", "must hold strings");
    d.warnings.push_back(w.get<std::string>());
  }
  ASSIGN_OR_RETURN(ba_text, f.Str("berita_acara"));
  ASSIGN_OR_RETURN(d.ba, DecodeBeritaAcara(ba_text, where));
  return d;
}

Status PendingDrafts::Write(const PendingDraft& d) const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return IOError(fmt::format("cannot create {}: {}", dir_, ec.message()));
  const nlohmann::json j = {{"format", kFormat},
                            {"id", d.id},
                            {"created", d.created},
                            {"expires", d.expires},
                            {"created_by", d.created_by},
                            {"warnings", d.warnings},
                            {"berita_acara", EncodeBeritaAcara(d.ba)}};
  return WriteFileAtomic(Path(d.id), j.dump() + "\n", 0600);
}

Result<std::vector<PendingDraft>> PendingDrafts::List(int64_t now) {
  std::lock_guard lock(mu_);
  return ListLocked(now);
}

Result<std::vector<PendingDraft>> PendingDrafts::ListLocked(int64_t now) {
  std::vector<PendingDraft> out;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir_, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.ends_with(".json") || !ValidDraftId(name.substr(0, name.size() - 5))) continue;
    auto d = Read(name.substr(0, name.size() - 5));
    if (!d.ok()) return d.status();
    if (d->expires <= now) {
      std::filesystem::remove(it->path(), ec);
      continue;
    }
    out.push_back(std::move(*d));
  }
  std::sort(out.begin(), out.end(), [](const PendingDraft& a, const PendingDraft& b) {
    return std::tie(a.created, a.id) < std::tie(b.created, b.id);
  });
  return out;
}

Result<PendingDraft> PendingDrafts::Keep(const BeritaAcara& ba, std::vector<std::string> warnings,
                                         std::string created_by, int64_t now) {
  // Counted and written under one lock: two drafts at once cannot both
  // take the last place.
  std::lock_guard lock(mu_);
  std::vector<PendingDraft> live;
  ASSIGN_OR_RETURN(live, ListLocked(now));
  if (live.size() >= kMaxPendingDrafts) {
    return ResourceExhausted(
        fmt::format("{} berita acara drafts are pending on this node: submit or withdraw one first",
                    live.size()));
  }
  PendingDraft d;
  d.id = RandomToken().substr(0, 16);
  d.created = now;
  d.expires = now + kDraftLifetime;
  d.created_by = std::move(created_by);
  d.warnings = std::move(warnings);
  d.ba = ba;
  RETURN_IF_ERROR(Write(d));
  return d;
}

Result<PendingDraft> PendingDrafts::Get(std::string_view id, int64_t now) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PendingDraft d, Read(id));
  if (d.expires <= now) return NotFound("the pending draft has expired");
  return d;
}

Result<PendingDraft> PendingDrafts::AddSignature(std::string_view id, const PublicKey& key,
                                                 const Signature& signature,
                                                 std::string_view key_name, int64_t now) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PendingDraft d, Read(id));
  if (d.expires <= now) return NotFound("the pending draft has expired");
  RETURN_IF_ERROR(AddBeritaAcaraSignature(d.ba, key, signature, key_name));
  RETURN_IF_ERROR(Write(d));
  return d;
}

Status PendingDrafts::Remove(std::string_view id) {
  std::lock_guard lock(mu_);
  if (!ValidDraftId(id)) return NotFound("no such pending draft");
  std::error_code ec;
  if (!std::filesystem::remove(Path(id), ec)) {
    return ec ? IOError(fmt::format("cannot remove {}: {}", Path(id), ec.message()))
              : NotFound("no such pending draft (withdrawn, submitted or expired)");
  }
  return SyncDirectory(dir_);
}

}  // namespace jejak
