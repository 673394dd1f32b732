#pragma once

#include <boost/json/object.hpp>
#include <expected>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/event_store.hpp"
#include "core/workflow.hpp"

namespace waymark::projections {

// What the programme report covers: the days `from` to `to` (YYYY-MM-DD,
// both included, UTC) and the networks of a region and/or an officer's
// caseload (empty: all), as they stood at the end of `to`.
// `network`: only that one network (a network's own report).
struct ReportRequest {
  std::string from, to, region, officer, network;
};

// The programme report for the funder (DESIGN.md `waymark report`), computed
// from the events recorded before the end of `to` only — folded from the
// event store, never from read models that may lag — so a report of a past
// period is the same whenever it is asked for. kValidation for a bad date
// or a period that ends before it starts; kUnavailable when the store fails.
//
// The answer, as JSON (every list in a fixed order):
//   period {from, to}, selection {region, officer}, last_position (the
//   newest event used, 0 for none), networks (how many were selected);
//   stages {start: {state: n}, end: {state: n}, forward, back,
//           moves: [{network_id, date, from, to, direction, assessment_id}]};
//   dimensions: [{dimension, networks, first_mean, latest_mean, change,
//                 improved, held, declined}] — each network's first and
//     latest approved assessment (counted scores: moderated where given);
//     improved/held/declined over networks with two or more;
//   milestones {due, achieved_on_time, achieved_late, overdue, cancelled,
//               open, on_time_rate} — milestones due in the period, in the
//     state they were in at its end; the rate is achieved on time over all
//     due but cancelled (null when none);
//   steps {embedded, reviewed} — in the period;
//   opportunities [{kind, count, value_gbp}], representation [{level,
//     count}], referrals [{agency, count, members}] — in the period;
//   membership {start: {members, active_members}, end: {...}}.
std::expected<boost::json::object, Error> ProgrammeReport(
    EventStore& store, const std::vector<const Workflow*>& workflows, const ReportRequest& request);

}  // namespace waymark::projections
