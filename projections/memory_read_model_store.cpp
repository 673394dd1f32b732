#include "projections/memory_read_model_store.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <mutex>

#include "core/stream_name.hpp"
#include "workflows/milestone/milestone_workflow.hpp"

namespace waymark::projections {

// One set of tables: the live read models, or a rebuild's shadow of some.
struct MemoryReadModelStore::Tables {
  std::vector<const ReadModel*> models;  // the tables held
  std::map<std::string, std::map<std::string, boost::json::object>, std::less<>> rows;
  ProjectedVersions versions;
  GlobalCursor checkpoint;
  // Shared by the live tables and their shadow.
  std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
  int fail_next = 0;
  bool rebuilding = false;

  const ReadModel* Model(std::string_view table) const {
    for (const auto* m : models) {
      if (m->table == table) return m;
    }
    return nullptr;
  }
};

namespace {

using Tables = MemoryReadModelStore::Tables;

// rm_audit_log rows are keyed by position, in position order.
std::string PositionKey(std::int64_t position) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(position));
  return buf;
}

std::string KeyOf(const ReadModel& model, const boost::json::object& row) {
  const auto& key = row.at(model.key);
  return key.is_int64() ? PositionKey(key.get_int64()) : std::string(key.as_string());
}

boost::json::object AuditJson(const AuditEntry& e) {
  return {{"position", e.position},
          {"stream", e.stream},
          {"version", e.version},
          {"type", e.type},
          {"actor", e.actor},
          {"role", e.role},
          {"recorded_at", e.recorded_at},
          {"correlation_id", e.correlation_id},
          {"causation_id", e.causation_id},
          {"network_id", e.network_id},
          {"summary", e.summary}};
}

Error Unreachable() {
  return MakeError(ErrorCode::kUnavailable, "read models: the store is unreachable (injected)");
}

// Writes `w` into `t`; `milestones` are the rows to count a network's
// milestones from (the shadow's own when it rebuilds rm_milestones).
void Write(Tables& t, const ReadModelWrite& w, const Tables& live) {
  for (const auto& [stream, version] : w.rewind) {
    const auto name = ParseStreamName(stream);
    for (const auto* m : t.models) {
      if (m->kind.empty() || !name || m->kind != name->kind || version != 0) continue;
      t.rows[std::string(m->table)].erase(std::string(name->id));
    }
    for (const auto* m : t.models) {
      if (m->table != "rm_audit_log" && !m->history) continue;
      std::erase_if(t.rows[std::string(m->table)], [&](const auto& kv) {
        return kv.second.at("stream").as_string() == stream &&
               kv.second.at("version").as_int64() > version;
      });
    }
    if (version == 0) t.versions.erase(stream);
  }
  // Per-stream models: a rewind to nothing, or a stream whose rows are all
  // written again, leaves none of its old ones.
  for (const auto* m : t.models) {
    if (!m->per_stream) continue;
    std::erase_if(t.rows[std::string(m->table)], [&](const auto& kv) {
      const std::string stream(kv.second.at("stream").as_string());
      const auto rewound = w.rewind.find(stream);
      return w.replaced.contains(stream) || (rewound != w.rewind.end() && rewound->second == 0);
    });
  }
  for (const auto& [table, rows] : w.rows) {
    const ReadModel* model = t.Model(table);
    if (!model) continue;
    auto& stored = t.rows[std::string(table)];
    for (const auto& row : rows) {
      boost::json::object next = row;
      auto& old = stored[KeyOf(*model, row)];
      for (const auto derived : model->derived) {  // kept as they were (0, or none, when new)
        const auto* kept = old.if_contains(derived);
        next[derived] = kept                ? *kept
                        : model->per_stream ? boost::json::value(nullptr)
                                            : boost::json::value(0);
      }
      old = std::move(next);
    }
  }
  if (t.Model("rm_audit_log")) {
    auto& audit = t.rows["rm_audit_log"];
    for (const auto& e : w.audit) audit[PositionKey(e.position)] = AuditJson(e);
  }
  for (const auto& [stream, version] : w.versions) t.versions[stream] = version;
  if (t.Model("rm_networks") && !w.recount_networks.empty()) {
    const auto& from = t.Model("rm_milestones") ? t : live;
    const auto found = from.rows.find("rm_milestones");
    for (const auto& network : w.recount_networks) {
      auto row = t.rows["rm_networks"].find(network);
      if (row == t.rows["rm_networks"].end()) continue;
      std::int64_t open = 0, overdue = 0;
      if (found != from.rows.end()) {
        for (const auto& [key, m] : found->second) {
          if (m.at("network_id").as_string() != network) continue;
          const auto status = m.at("status").as_string();
          open += workflows::IsOpenMilestoneState(status);
          overdue += status == workflows::OverdueMilestoneState();
        }
      }
      row->second["open_milestones"] = open;
      row->second["overdue_milestones"] = overdue;
    }
  }
  // The tasks of the recounted networks take their network's officer.
  if (t.Model("rm_tasks") && !w.recount_networks.empty()) {
    const auto& from = t.Model("rm_networks") ? t : live;
    const auto networks = from.rows.find("rm_networks");
    for (auto& [key, task] : t.rows["rm_tasks"]) {
      const std::string network(task.at("network_id").as_string());
      if (!w.recount_networks.contains(network)) continue;
      boost::json::value officer = nullptr;
      if (networks != from.rows.end()) {
        if (auto n = networks->second.find(network); n != networks->second.end()) {
          if (const auto* o = n->second.if_contains("officer")) officer = *o;
        }
      }
      task["officer"] = officer;
    }
  }
  if (w.checkpoint) t.checkpoint = *w.checkpoint;
}

std::expected<void, Error> ApplyTo(Tables& t, const Tables& live,
                                   const std::set<std::string>& streams,
                                   const DecideWrite& decide) {
  ProjectedVersions versions;
  for (const auto& s : streams) {
    if (auto it = t.versions.find(s); it != t.versions.end()) versions.insert(*it);
  }
  auto write = decide(versions);
  if (!write) return std::unexpected(write.error());
  Write(t, *write, live);
  return {};
}

std::vector<std::string> Serialized(const std::map<std::string, boost::json::object>* rows) {
  std::vector<std::string> out;
  if (rows) {
    for (const auto& [key, row] : *rows) out.push_back(boost::json::serialize(row));
  }
  std::sort(out.begin(), out.end());
  return out;
}

class MemoryShadow final : public ReadModelShadow {
 public:
  MemoryShadow(Tables& live, std::vector<const ReadModel*> models, bool check)
      : live_(live), check_(check) {
    shadow_.models = std::move(models);
    shadow_.mutex = live.mutex;
  }
  ~MemoryShadow() override {
    std::lock_guard lock(*live_.mutex);
    live_.rebuilding = false;
  }

  std::expected<void, Error> Apply(const std::set<std::string>& streams,
                                   const DecideWrite& decide) override {
    std::lock_guard lock(*live_.mutex);
    return ApplyTo(shadow_, live_, streams, decide);
  }
  std::expected<GlobalCursor, Error> Checkpoint() override { return shadow_.checkpoint; }

  std::expected<std::vector<Difference>, Error> Finish(const AlignWrite& align) override {
    std::lock_guard lock(*live_.mutex);
    std::vector<VersionGap> gaps;
    for (const auto& [stream, version] : live_.versions) {
      auto it = shadow_.versions.find(stream);
      const std::int64_t rebuilt = it == shadow_.versions.end() ? 0 : it->second;
      if (rebuilt != version) gaps.push_back({stream, version, rebuilt});
    }
    for (const auto& [stream, version] : shadow_.versions) {
      if (!live_.versions.contains(stream)) gaps.push_back({stream, 0, version});
    }
    std::sort(gaps.begin(), gaps.end(),
              [](const auto& a, const auto& b) { return a.stream < b.stream; });
    auto write = align(gaps);
    if (!write) return std::unexpected(write.error());
    Write(shadow_, *write, live_);
    std::vector<Difference> differences;
    for (const auto* m : shadow_.models) {
      const std::string table(m->table);
      if (!check_) {
        live_.rows[table] = std::move(shadow_.rows[table]);
        continue;
      }
      const auto find = [&](Tables& t) {
        auto it = t.rows.find(table);
        return it == t.rows.end() ? nullptr : &it->second;
      };
      const auto live = Serialized(find(live_));
      const auto rebuilt = Serialized(find(shadow_));
      std::vector<std::string> live_only, rebuilt_only;
      std::set_difference(live.begin(), live.end(), rebuilt.begin(), rebuilt.end(),
                          std::back_inserter(live_only));
      std::set_difference(rebuilt.begin(), rebuilt.end(), live.begin(), live.end(),
                          std::back_inserter(rebuilt_only));
      if (live_only.empty() && rebuilt_only.empty()) continue;
      Difference d{table, live_only.size(), rebuilt_only.size(), {}};
      for (std::size_t i = 0; i < live_only.size() && i < 3; ++i)
        d.examples.push_back("live: " + live_only[i]);
      for (std::size_t i = 0; i < rebuilt_only.size() && i < 3; ++i)
        d.examples.push_back("rebuilt: " + rebuilt_only[i]);
      differences.push_back(std::move(d));
    }
    shadow_.rows.clear();
    shadow_.versions.clear();
    return differences;
  }

 private:
  Tables& live_;
  Tables shadow_;
  bool check_;
};

}  // namespace

MemoryReadModelStore::MemoryReadModelStore() : live_(std::make_unique<Tables>()) {
  for (const auto& m : AllReadModels()) live_->models.push_back(&m);
}
MemoryReadModelStore::~MemoryReadModelStore() = default;

std::expected<void, Error> MemoryReadModelStore::Apply(const std::set<std::string>& streams,
                                                       const DecideWrite& decide) {
  std::lock_guard lock(*live_->mutex);
  if (live_->fail_next > 0) {
    --live_->fail_next;
    return std::unexpected(Unreachable());
  }
  return ApplyTo(*live_, *live_, streams, decide);
}

std::expected<GlobalCursor, Error> MemoryReadModelStore::Checkpoint() {
  std::lock_guard lock(*live_->mutex);
  return live_->checkpoint;
}

std::expected<std::unique_ptr<ReadModelShadow>, Error> MemoryReadModelStore::OpenShadow(
    std::vector<const ReadModel*> models, bool check) {
  std::lock_guard lock(*live_->mutex);
  if (live_->rebuilding) {
    return std::unexpected(
        MakeError(ErrorCode::kConflict, "another rebuild is running; try again when it ends"));
  }
  live_->rebuilding = true;
  if (models.empty()) models = live_->models;
  return std::make_unique<MemoryShadow>(*live_, std::move(models), check);
}

std::vector<boost::json::object> MemoryReadModelStore::Rows(std::string_view table) const {
  std::lock_guard lock(*live_->mutex);
  std::vector<boost::json::object> out;
  if (auto it = live_->rows.find(table); it != live_->rows.end()) {
    for (const auto& [key, row] : it->second) out.push_back(row);
  }
  return out;
}

void MemoryReadModelStore::Tamper(std::string_view table, const std::string& key,
                                  std::optional<boost::json::object> row) {
  std::lock_guard lock(*live_->mutex);
  auto& rows = live_->rows[std::string(table)];
  const std::string k = table == "rm_audit_log" ? PositionKey(std::stoll(key)) : key;
  if (row) {
    rows[k] = std::move(*row);
  } else {
    rows.erase(k);
  }
}

void MemoryReadModelStore::FailNextWrites(int count) {
  std::lock_guard lock(*live_->mutex);
  live_->fail_next = count;
}

}  // namespace waymark::projections
