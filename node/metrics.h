// The node's counters and gauges, rendered in the Prometheus text format
// (version 0.0.4) at /metrics. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace jejak {

class NodeMetrics {
 public:
  // Declares a metric family; `type` is "counter" or "gauge".
  void Describe(std::string_view name, std::string_view type, std::string_view help);
  // Adds to / sets one series of a family. `labels` is empty or the text
  // inside the braces, e.g. `reason="bad_signature"` (values must not contain
  // '"', '\\' or newlines: they are origins and fixed reasons, never data).
  void Add(std::string_view name, std::string_view labels = {}, double by = 1);
  void Set(std::string_view name, std::string_view labels, double value);
  std::string Render() const;
  // One family's series by labels (none if it was never added to).
  std::map<std::string, double> Series(std::string_view name) const;

 private:
  struct Family {
    std::string type, help;
    std::map<std::string, double> series;  // by labels
  };
  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

// A label pair for an origin, e.g. origin="jejak.pkh/kab/7404".
std::string OriginLabel(std::string_view origin);

}  // namespace jejak
