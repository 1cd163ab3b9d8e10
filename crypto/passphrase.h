// Where a key file's passphrase comes from: a file, an environment variable,
// or a prompt on the controlling terminal, in that order.
#pragma once

#include <string>

#include "crypto/status.h"

namespace jejak {

struct PassphraseSource {
  std::string file;                          // --passphrase-file; first line is used
  std::string env_var = "JEJAK_PASSPHRASE";  // consulted when no file is given
  std::string fallback_env_var;              // consulted after env_var, if set
  std::string prompt;                        // e.g. "Passphrase for node key"
  bool confirm = false;                      // ask twice on a terminal (new keys)
};

// Returns the passphrase, or InvalidArgument when none is available (no file,
// no variable, no terminal) or it is empty. Never echoes it.
Result<std::string> ObtainPassphrase(const PassphraseSource& source);

}  // namespace jejak
