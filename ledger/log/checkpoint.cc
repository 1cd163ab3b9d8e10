#include "ledger/log/checkpoint.h"

#include <algorithm>

#include <fmt/format.h>

namespace jejak {

std::string Checkpoint::Text() const {
  std::string t = fmt::format("{}\n{}\n{}\n", origin, size, Base64Encode(root));
  for (const auto& e : extensions) t += e + "\n";
  return t;
}

Result<Checkpoint> ParseCheckpointText(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos)
      return InvalidArgument("checkpoint text must end in a newline");
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return InvalidArgument("checkpoint needs origin, size and root lines");
  Checkpoint c;
  if (lines[0].empty()) return InvalidArgument("checkpoint origin line is empty");
  c.origin = std::string(lines[0]);
  auto size = ParseDecimal(lines[1]);
  if (!size.ok()) return InvalidArgument("checkpoint size line: " + size.status().message());
  c.size = *size;
  auto root = Base64DecodeFixed<32>(lines[2]);
  if (!root.ok()) return InvalidArgument("checkpoint root line: " + root.status().message());
  c.root = *root;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return InvalidArgument("checkpoint extension line is empty");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

Result<SignedCheckpoint> OpenCheckpoint(std::string_view note_text,
                                        const NoteVerifierKey& log_key) {
  SignedCheckpoint sc;
  ASSIGN_OR_RETURN(sc.note, ParseNote(note_text));
  auto verified = VerifyNote(sc.note, std::span<const NoteVerifierKey>(&log_key, 1));
  if (!verified.ok()) return verified.status().WithContext("checkpoint");
  ASSIGN_OR_RETURN(sc.checkpoint, ParseCheckpointText(sc.note.text));
  if (sc.checkpoint.origin != log_key.name) {
    return PermissionDenied(fmt::format("checkpoint is for origin '{}', expected '{}'",
                                        sc.checkpoint.origin, log_key.name));
  }
  return sc;
}

SignedCheckpoint SignCheckpoint(const Checkpoint& checkpoint, const SigningKey& key) {
  SignedCheckpoint sc;
  sc.checkpoint = checkpoint;
  sc.note.text = checkpoint.Text();
  sc.note.signatures.push_back(SignNoteText(sc.note.text, checkpoint.origin, key));
  return sc;
}

std::string QuotedOrigin(std::string_view origin) {
  const bool printable =
      !origin.empty() && origin.size() <= 256 &&
      std::all_of(origin.begin(), origin.end(), [](char c) { return c > ' ' && c < 0x7f; });
  return printable ? "'" + std::string(origin) + "'"
                   : std::string("an origin that is not printable");
}

}  // namespace jejak
