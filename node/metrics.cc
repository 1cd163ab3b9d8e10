#include "node/metrics.h"

#include <fmt/format.h>

namespace jejak {

void NodeMetrics::Describe(std::string_view name, std::string_view type, std::string_view help) {
  std::lock_guard lock(mu_);
  auto& f = families_[std::string(name)];
  f.type = std::string(type);
  f.help = std::string(help);
}

void NodeMetrics::Add(std::string_view name, std::string_view labels, double by) {
  std::lock_guard lock(mu_);
  families_[std::string(name)].series[std::string(labels)] += by;
}

void NodeMetrics::Set(std::string_view name, std::string_view labels, double value) {
  std::lock_guard lock(mu_);
  families_[std::string(name)].series[std::string(labels)] = value;
}

std::map<std::string, double> NodeMetrics::Series(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return {};
  return it->second.series;
}

std::string NodeMetrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += fmt::format("# HELP {} {}\n", name, f.help);
    if (!f.type.empty()) out += fmt::format("# TYPE {} {}\n", name, f.type);
    if (f.series.empty() && f.type == "counter") out += name + " 0\n";
    for (const auto& [labels, value] : f.series) {
      out += labels.empty() ? name : fmt::format("{}{{{}}}", name, labels);
      out += fmt::format(" {}\n", value);
    }
  }
  return out;
}

std::string OriginLabel(std::string_view origin) { return fmt::format("origin=\"{}\"", origin); }

}  // namespace jejak
