#include "ledger/log/tlog_proof.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/log/merkle.h"

namespace jejak {
namespace {

// Reads the text line by line, counting lines for messages.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  // The next line without its newline; InvalidArgument if the text ends
  // before one, or ends without the newline.
  Result<std::string_view> Next(std::string_view what) {
    ++line_;
    const size_t nl = rest_.find('\n');
    if (nl == std::string_view::npos) {
      return InvalidArgument(
          rest_.empty() ? Where() + ": the proof ends before " + std::string(what)
                        : Where() + ": " + std::string(what) + " does not end in a newline");
    }
    std::string_view line = rest_.substr(0, nl);
    rest_.remove_prefix(nl + 1);
    return line;
  }
  std::string_view rest() const { return rest_; }
  std::string Where() const { return fmt::format("tlog-proof line {}", line_); }
  int line() const { return line_; }

 private:
  std::string_view rest_;
  int line_ = 0;
};

Status CheckFirstLine(LineReader& lines) {
  std::string_view first;
  ASSIGN_OR_RETURN(first, lines.Next("the first line"));
  if (first != kTlogProofFirstLine) {
    return InvalidArgument(
        fmt::format("{}: expected \"{}\" (not a tlog-proof)", lines.Where(), kTlogProofFirstLine));
  }
  return Status::Ok();
}

Result<uint64_t> ParseIndexLine(const LineReader& lines, std::string_view line) {
  constexpr std::string_view kPrefix = "index ";
  if (!line.starts_with(kPrefix)) {
    return InvalidArgument(lines.Where() + ": expected \"index N\"");
  }
  auto index = ParseDecimal(line.substr(kPrefix.size()));
  if (!index.ok()) {
    return InvalidArgument(lines.Where() + ": the index is not a decimal without leading zeros: " +
                           index.status().message());
  }
  return *index;
}

Result<std::vector<Hash>> ParseHashLines(LineReader& lines) {
  std::vector<Hash> hashes;
  for (;;) {
    std::string_view line;
    ASSIGN_OR_RETURN(line, lines.Next("the blank line before the checkpoint"));
    if (line.empty()) return hashes;
    if (hashes.size() == kMaxInclusionHashes) {
      return InvalidArgument(fmt::format("{}: more than {} inclusion proof hashes", lines.Where(),
                                         kMaxInclusionHashes));
    }
    auto hash = Base64DecodeFixed<32>(line);
    if (!hash.ok()) {
      return InvalidArgument(fmt::format("{}: inclusion proof hash {}: {}", lines.Where(),
                                         hashes.size() + 1, hash.status().message()));
    }
    hashes.push_back(*hash);
  }
}

// Distinct witnesses of `policy` whose cosignatures on `note` verify.
Result<std::vector<std::pair<std::string, uint64_t>>> VerifiedWitnesses(
    const Note& note, const std::string& origin, std::span<const Cosigner> witnesses) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const NoteSignature& sig : note.signatures) {
    for (const Cosigner& c : witnesses) {
      if (c.name == origin || !IsCosignatureBy(sig, c)) continue;
      auto time = VerifyCosignature(note.text, sig, c);
      if (!time.ok()) {
        return PermissionDenied(fmt::format("the cosignature of witness {} does not verify: {}",
                                            QuotedOrigin(c.name), time.status().message()));
      }
      const bool seen =
          std::any_of(out.begin(), out.end(), [&](const auto& w) { return w.first == c.name; });
      if (!seen) out.emplace_back(c.name, *time);
    }
  }
  return out;
}

}  // namespace

std::string FormatTlogProof(const TlogProof& proof) {
  std::string out(kTlogProofFirstLine);
  out += "\n";
  if (proof.extra) out += "extra " + Base64Encode(*proof.extra) + "\n";
  out += fmt::format("index {}\n", proof.index);
  for (const Hash& h : proof.inclusion) out += Base64Encode(h) + "\n";
  out += "\n";
  out += proof.checkpoint;
  return out;
}

Result<TlogProof> ParseTlogProof(std::string_view text) {
  if (text.size() > kMaxTlogProofBytes) {
    return InvalidArgument(fmt::format("tlog-proof: {} bytes, more than the {} a proof may have",
                                       text.size(), kMaxTlogProofBytes));
  }
  LineReader lines(text);
  RETURN_IF_ERROR(CheckFirstLine(lines));
  TlogProof proof;
  std::string_view line;
  ASSIGN_OR_RETURN(line, lines.Next("the index line"));
  constexpr std::string_view kExtra = "extra ";
  if (line.starts_with(kExtra)) {
    auto extra = Base64Decode(line.substr(kExtra.size()));
    if (!extra.ok()) {
      return InvalidArgument(lines.Where() +
                             ": the extra data is not base64: " + extra.status().message());
    }
    proof.extra = std::move(*extra);
    ASSIGN_OR_RETURN(line, lines.Next("the index line"));
  }
  ASSIGN_OR_RETURN(proof.index, ParseIndexLine(lines, line));
  ASSIGN_OR_RETURN(proof.inclusion, ParseHashLines(lines));
  const int checkpoint_line = lines.line() + 1;
  proof.checkpoint = std::string(lines.rest());
  auto note = ParseNote(proof.checkpoint);
  if (!note.ok()) {
    return InvalidArgument(fmt::format("tlog-proof line {}: the checkpoint: {}", checkpoint_line,
                                       note.status().message()));
  }
  auto cp = ParseCheckpointText(note->text);
  if (!cp.ok()) {
    return InvalidArgument(fmt::format("tlog-proof line {}: the checkpoint: {}", checkpoint_line,
                                       cp.status().message()));
  }
  return proof;
}

Result<VerifiedTlogProof> VerifyTlogProof(const TlogProof& proof, const NoteVerifierKey& log_key,
                                          std::span<const Cosigner> witnesses,
                                          size_t min_witnesses) {
  Note note;
  ASSIGN_OR_RETURN(note, ParseNote(proof.checkpoint));
  VerifiedTlogProof out;
  ASSIGN_OR_RETURN(out.checkpoint, ParseCheckpointText(note.text));
  if (out.checkpoint.origin != log_key.name) {
    return PermissionDenied(fmt::format("the checkpoint is of log {}, not of {} (the log key's)",
                                        QuotedOrigin(out.checkpoint.origin),
                                        QuotedOrigin(log_key.name)));
  }
  auto signed_by = VerifyNote(note, std::span<const NoteVerifierKey>(&log_key, 1));
  if (!signed_by.ok()) {
    return PermissionDenied("the checkpoint's signature: " + signed_by.status().message());
  }
  if (!proof.extra) {
    return InvalidArgument(
        "the proof carries no extra data: the entry's bytes are needed to "
        "recompute its leaf hash");
  }
  const uint64_t size = out.checkpoint.size;
  if (proof.index >= size) {
    return PermissionDenied(
        fmt::format("index {} is not below the checkpoint's size {}", proof.index, size));
  }
  const Hash leaf = LeafHash(*proof.extra);
  if (Status s = VerifyInclusion(proof.index, size, leaf, proof.inclusion, out.checkpoint.root);
      !s.ok()) {
    return PermissionDenied(fmt::format(
        "leaf {} (SHA-256 of the extra data) is not in the checkpoint's tree of size {}: {}",
        proof.index, size, s.message()));
  }
  out.entry = *proof.extra;
  ASSIGN_OR_RETURN(out.witnesses, VerifiedWitnesses(note, out.checkpoint.origin, witnesses));
  if (out.witnesses.size() < min_witnesses) {
    std::string names;
    for (const auto& w : out.witnesses) names += (names.empty() ? " (" : ", ") + w.first;
    if (!names.empty()) names += ")";
    return PermissionDenied(fmt::format("{} witness cosignatures are required, {} verified{}",
                                        min_witnesses, out.witnesses.size(), names));
  }
  return out;
}

std::string TlogProofFileName(std::string_view origin, uint64_t index) {
  std::string name(origin);
  for (char& c : name) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!safe) c = '-';
  }
  return fmt::format("{}-{}.tlog-proof", name, index);
}

}  // namespace jejak
