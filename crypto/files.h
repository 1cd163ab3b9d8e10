// Small, crash-safe file helpers. Every durable write goes through
// WriteFileAtomic: a reader sees the old file or the new one, never a mix.
#pragma once

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace jejak {

// Reads a whole file.
// What ReadFile accepts besides a regular file.
enum class FileSource {
  kRegularOnly,  // anything else (a FIFO, a device, a socket, a folder) is refused at once
  kAlsoPipes,    // a pipe too: a passphrase from `--passphrase-file <(...)`
};
// The file's bytes. NotFound when it does not exist; InvalidArgument when it
// is larger than `max_bytes` or (kRegularOnly) not a regular file, naming what
// it is, without ever blocking on it; IOError otherwise.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = size_t{1} << 30,
                             FileSource source = FileSource::kRegularOnly);

// Writes `data` to `path` through a temporary file in the same folder, fsyncs
// it, renames it over `path` and fsyncs the folder. `mode` is the permission
// of the new file (0600 for secrets). With `no_clobber`, an existing `path` is
// left alone and AlreadyExists returned.
Status WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode = 0644,
                       bool no_clobber = false);

// Writes through a temporary file and a rename, without fsync: for bulk writes
// made durable together by SyncFileSystem before the write that publishes them.
Status WriteFileUnsynced(const std::string& path, std::string_view data);

// Flushes the whole file system holding `path` (syncfs(2)).
Status SyncFileSystem(const std::string& path);

// fsyncs a directory so that a rename or creation inside it is durable.
Status SyncDirectory(const std::string& dir);

// Creates a directory and its parents (mode 0755); Ok if it already exists.
Status MakeDirectories(const std::string& dir);

// "strerror(errno)" for messages.
std::string ErrnoText(int err);

}  // namespace jejak
