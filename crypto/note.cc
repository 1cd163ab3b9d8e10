#include "crypto/note.h"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/sha256.h"

namespace jejak {
namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94";

}  // namespace

bool ValidNoteCharacters(std::string_view s) {
  return ValidUtf8(s, {.allow_newline = true, .allow_tab = false, .allow_spaces = true});
}

bool ValidKeyName(std::string_view name) {
  return !name.empty() && name.find('+') == std::string_view::npos &&
         ValidUtf8(name, {.allow_newline = false, .allow_tab = false, .allow_spaces = false});
}

uint32_t NoteKeyId(std::string_view name, uint8_t type, const PublicKey& key) {
  Sha256Stream h;
  h.Update(AsBytes(name));
  const uint8_t sep[2] = {'\n', type};
  h.Update(ByteSpan(sep, 2));
  h.Update(key);
  Hash d = h.Finish();
  return GetBigEndian32(d.data());
}

NoteVerifierKey NoteVerifierKey::ForEd25519(std::string name, const PublicKey& key) {
  NoteVerifierKey v;
  v.key_id = NoteKeyId(name, kNoteTypeEd25519, key);
  v.name = std::move(name);
  v.type = kNoteTypeEd25519;
  v.key = key;
  return v;
}

std::string NoteVerifierKey::ToString() const {
  Bytes raw;
  raw.push_back(type);
  raw.insert(raw.end(), key.begin(), key.end());
  return fmt::format("{}+{:08x}+{}", name, key_id, Base64Encode(raw));
}

Result<NoteVerifierKey> ParseVerifierKey(std::string_view text) {
  const size_t p1 = text.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return InvalidArgument("verifier key must be <name>+<hex key ID>+<base64 key>");
  }
  NoteVerifierKey v;
  v.name = std::string(text.substr(0, p1));
  if (!ValidKeyName(v.name)) return InvalidArgument("verifier key has an invalid name");
  const std::string_view id_hex = text.substr(p1 + 1, p2 - p1 - 1);
  auto id = HexDecode(id_hex);
  if (id_hex.size() != 8 || !id.ok()) {
    return InvalidArgument("verifier key ID must be 8 hex digits");
  }
  v.key_id = GetBigEndian32(id->data());
  auto raw = Base64Decode(text.substr(p2 + 1));
  if (!raw.ok()) return InvalidArgument("verifier key: " + raw.status().message());
  if (raw->empty()) return InvalidArgument("verifier key is empty");
  v.type = (*raw)[0];
  if (v.type != kNoteTypeEd25519 && v.type != kNoteTypeCosignature) {
    return InvalidArgument(fmt::format("verifier key type 0x{:02x} is not supported", v.type));
  }
  if (raw->size() != 33) return InvalidArgument("Ed25519 verifier key must hold 32 key bytes");
  std::copy(raw->begin() + 1, raw->end(), v.key.begin());
  if (NoteKeyId(v.name, v.type, v.key) != v.key_id) {
    return InvalidArgument("verifier key ID does not match its name and key");
  }
  return v;
}

std::string NoteSignature::Line() const {
  Bytes raw(4);
  PutBigEndian32(key_id, raw.data());
  raw.insert(raw.end(), signature.begin(), signature.end());
  return fmt::format("{} {} {}\n", kEmDash, name, Base64Encode(raw));
}

std::string Note::Serialize() const {
  std::string out = text;
  out += "\n";
  for (const auto& s : signatures) out += s.Line();
  return out;
}

Result<Note> ParseNote(std::string_view data) {
  if (data.size() > kMaxNoteBytes) return InvalidArgument("note is larger than 1 MiB");
  if (!ValidNoteCharacters(data)) {
    return InvalidArgument("note is not valid UTF-8 or holds control characters");
  }
  const size_t split = data.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidArgument("note has no blank line before its signatures");
  }
  Note note;
  note.text = std::string(data.substr(0, split + 1));
  std::string_view sigs = data.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return InvalidArgument("note signatures must be lines ending in a newline");
  }
  size_t line_no = 0;
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    ++line_no;
    if (note.signatures.size() == kMaxNoteSignatures) {
      return InvalidArgument("note has more than 256 signatures");
    }
    if (line.substr(0, kEmDash.size() + 1) != std::string(kEmDash) + " ") {
      return InvalidArgument(
          fmt::format("signature line {} does not start with an em dash and a space", line_no));
    }
    line.remove_prefix(kEmDash.size() + 1);
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) {
      return InvalidArgument(fmt::format("signature line {} has no signature", line_no));
    }
    NoteSignature sig;
    sig.name = std::string(line.substr(0, sp));
    if (!ValidKeyName(sig.name)) {
      return InvalidArgument(fmt::format("signature line {} has an invalid key name", line_no));
    }
    auto raw = Base64Decode(line.substr(sp + 1));
    if (!raw.ok() || raw->size() < 5) {
      return InvalidArgument(fmt::format("signature line {} has a malformed signature", line_no));
    }
    sig.key_id = GetBigEndian32(raw->data());
    sig.signature.assign(raw->begin() + 4, raw->end());
    note.signatures.push_back(std::move(sig));
  }
  return note;
}

NoteSignature SignNoteText(std::string_view text, std::string_view name, const SigningKey& key) {
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_id = NoteKeyId(name, kNoteTypeEd25519, key.public_key());
  Signature s = key.Sign(AsBytes(text));
  sig.signature.assign(s.begin(), s.end());
  return sig;
}

Result<std::vector<NoteVerifierKey>> VerifyNote(const Note& note,
                                                std::span<const NoteVerifierKey> known) {
  std::vector<NoteVerifierKey> verified;
  for (const auto& sig : note.signatures) {
    for (const auto& k : known) {
      if (k.name != sig.name || k.key_id != sig.key_id || k.type != kNoteTypeEd25519) continue;
      Signature s;
      if (sig.signature.size() != s.size()) {
        return PermissionDenied("signature by " + k.name + " has the wrong length");
      }
      std::copy(sig.signature.begin(), sig.signature.end(), s.begin());
      if (!VerifySignature(k.key, AsBytes(note.text), s)) {
        return PermissionDenied("signature by " + k.name + " does not verify");
      }
      // A key counts once, however many times it signed or is listed: callers
      // count signers.
      const bool seen =
          std::any_of(verified.begin(), verified.end(), [&](const NoteVerifierKey& v) {
            return v.name == k.name && v.key_id == k.key_id && v.key == k.key;
          });
      if (!seen) verified.push_back(k);
    }
  }
  if (verified.empty()) return PermissionDenied("note is not signed by any known key");
  return verified;
}

}  // namespace jejak
