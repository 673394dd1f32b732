#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event.hpp"
#include "projections/read_models.hpp"

namespace waymark::projections {

// Each stream's last projected version (absent: none projected).
using ProjectedVersions = std::map<std::string, std::int64_t>;

// What one projector batch writes, decided by the projector and written by a
// ReadModelStore in one atomic step.
struct ReadModelWrite {
  // Streams taken back first: their rm_audit_log rows above the version are
  // deleted; at 0, their state rows and projected version go too (rebuild
  // alignment only).
  std::map<std::string, std::int64_t> rewind;
  // Streams whose rows in the per-stream read models (rm_tasks) are all
  // deleted before `rows` are written: the rows there are all they have now.
  std::set<std::string> replaced;
  // Whole rows (every column but the model's derived ones), inserted or
  // replaced by key, per read-model table.
  std::map<std::string, std::vector<boost::json::object>, std::less<>> rows;
  std::vector<AuditEntry> audit;  // rm_audit_log rows, each added once
  ProjectedVersions versions;     // the streams' projected versions after the write
  // Networks whose derived columns are filled again: their milestone counts
  // (open_milestones, overdue_milestones) from the milestones' rows, and
  // their tasks' officer from the network's row.
  std::set<std::string> recount_networks;
  // The event-store position after the batch (embedded mode only).
  std::optional<GlobalCursor> checkpoint;
};

// Decides a batch's write from the projected versions of its streams. An
// error writes nothing and is returned by Apply as it is.
using DecideWrite = std::function<std::expected<ReadModelWrite, Error>(const ProjectedVersions&)>;

// A stream whose rebuilt read models stand at another version than the live ones.
struct VersionGap {
  std::string stream;
  std::int64_t live = 0;     // 0: not in the live read models
  std::int64_t rebuilt = 0;  // 0: not in the rebuilt ones
};
using AlignWrite =
    std::function<std::expected<ReadModelWrite, Error>(const std::vector<VersionGap>&)>;

// How a rebuilt read model differs from the live one.
struct Difference {
  std::string table;
  std::size_t live_only = 0;          // rows only the live table has (as they are)
  std::size_t rebuilt_only = 0;       // rows only the rebuilt table has
  std::vector<std::string> examples;  // a few of them, "live: {...}" / "rebuilt: {...}"
};

// Read models being rebuilt beside the live ones; Apply writes to them.
// Dropped, swapping nothing, if destroyed before Finish.
class ReadModelShadow;

// Where the projector's decisions land: the read models of DESIGN.md, the
// streams' projected versions (for dedupe), and the embedded projector's
// checkpoint, always moved together.
//
// Thread-safety: one writer at a time per store object (a projector owns
// it); different objects on the same database may write concurrently, and
// rebuilds hold them off while they align. Failure: kUnavailable when the
// backing system fails, with nothing written; kConflict when another
// rebuild is under way.
class ReadModelStore {
 public:
  virtual ~ReadModelStore() = default;

  // In one transaction: reads the projected versions of `streams`, hands
  // them to `decide`, writes what it returns (rewinds, rows, audit rows,
  // versions, recounts, checkpoint, in that order) and commits. When
  // `decide` fails, nothing is written and its error is returned.
  virtual std::expected<void, Error> Apply(const std::set<std::string>& streams,
                                           const DecideWrite& decide) = 0;

  // The event-store position saved with the last write that had one ({0,0}: none).
  virtual std::expected<GlobalCursor, Error> Checkpoint() = 0;

  // Empty copies of `models` (all of them when empty), and of the projected
  // versions, to rebuild into.
  // `check`: the copies are compared with the live tables and dropped;
  // otherwise they replace them. One rebuild at a time (kConflict).
  virtual std::expected<std::unique_ptr<ReadModelShadow>, Error> OpenShadow(
      std::vector<const ReadModel*> models, bool check) = 0;
};

class ReadModelShadow : public ReadModelStore {
 public:
  // In one transaction that holds the live tables against writers (and, to
  // swap, against readers too): lists the streams whose rebuilt version
  // differs from the live one, writes what `align` returns for them, then
  // swaps the rebuilt tables in (readers see the old ones or the new ones)
  // or, to check, compares both ways and drops them. Returns the
  // differences (none after a swap). The shadow is spent afterwards.
  virtual std::expected<std::vector<Difference>, Error> Finish(const AlignWrite& align) = 0;

  std::expected<std::unique_ptr<ReadModelShadow>, Error> OpenShadow(std::vector<const ReadModel*>,
                                                                    bool) override {
    return std::unexpected(MakeError(ErrorCode::kConflict, "a rebuild does not nest"));
  }
};

}  // namespace waymark::projections
