#pragma once

// A network's records by the names people know them by: the title a link to
// each shows, and the choices a form offers where a command names another
// record (an assessment, a plan, an action, a milestone), so nobody types an
// id (internal to adapters/web).

#include <string>
#include <string_view>
#include <vector>

#include "core/command_handler.hpp"

namespace waymark::web {

// One record a form may name: the id it sends, the words it shows.
struct Choice {
  std::string value, label;
};

class Records {
 public:
  // `network` must outlive this.
  explicit Records(const FoldedNetwork& network);

  const std::string& network_id() const { return network_.network_id; }
  // The network's name ("" before it is registered).
  std::string NetworkName() const;
  // A record's title: "2026 spring assessment", "Action plan from the 2026
  // spring assessment", a milestone's title, a step's description (shortened);
  // "" for a stream this network does not hold.
  std::string Title(std::string_view stream) const;
  // A plan's action by its description (shortened), "" when the plan has none of that id.
  std::string ActionTitle(std::string_view plan_id, std::string_view action_id) const;
  // The records a field of `field`'s name may name, newest first:
  // assessment_id (assessments), plan_id (plans), milestone_id (milestones),
  // action_id (the open actions of plan `plan_id`); empty for other fields.
  std::vector<Choice> ChoicesFor(std::string_view field, std::string_view plan_id) const;
  // An engine's message in people's words: "CompletePlan refused: " dropped,
  // command and state names as words, this network's record ids (and
  // stream names) as their titles.
  std::string InWords(std::string_view message) const;
  // Whether the network holds `stream` (with at least one event).
  bool Holds(std::string_view stream) const;
  // The folded stream, or null.
  const FoldedNetworkStream* Find(std::string_view stream) const;

  const FoldedNetwork& network() const { return network_; }

 private:
  const FoldedNetwork& network_;
};

// Words cut to about `max` characters at a space, with "…" when cut.
std::string Shortened(std::string_view text, std::size_t max);

// A title as the id of a new record: lower case, words joined by "-", at
// most `max` characters, only [a-z0-9-] ("Members' mapping survey" →
// "members-mapping-survey"); "" when nothing is left.
std::string IdFromTitle(std::string_view title, std::size_t max = 40);

}  // namespace waymark::web
