#pragma once

// The forms that issue commands, made from the workflows' own field
// declarations: a field naming another record is a choice of the network's
// records by title, a new record's id is made from its title, a date has its
// earliest day, and a refused or confirmed form comes back with everything
// typed in it (internal to adapters/web).

#include <map>
#include <string>

#include "adapters/web/pages.hpp"
#include "adapters/web/records.hpp"

namespace waymark::web {

// One command's form, as shown or as posted.
struct FormModel {
  std::string stream;  // the stream it acts on; "" begins a stream of `kind`
  std::string kind;
  CommandSpec spec;
  std::int64_t version = 0;
  std::string back;  // the page to return to
  std::string key;   // the idempotency key, kept across a refusal
  std::string id;    // a new stream's id when the person chose one ("" : from its title)
  std::map<std::string, std::string> values;  // by field: typed, or suggested
  std::map<std::string, std::string> fixed;   // by field: decided by the page, sent hidden
  std::map<std::string, std::string> floor;   // by date field: the earliest day accepted
  std::string plan_id;                        // whose actions an action_id offers
  std::string error_field, error;             // a refusal, beside its field (or above all)
};

// Whether `command` is one its issuer cannot undo (submit, approve, agree,
// verify, cancel, abandon, close, complete, withdraw, drop): asked to confirm first.
bool NeedsConfirmation(std::string_view command);

// Whether `field` of `command` is the id of the record it adds (a plan's
// new action): made from its description when left empty.
bool NamesNewRecord(std::string_view command, std::string_view field);

// The <form> of `m` (its fields, hidden state and button); `open` shows it
// unfolded (a refusal, an edit), else inside a <details> with the command's name.
std::string FormHtml(const Visit& v, const Records* records, const FormModel& m, bool open);

// The records' network folded now for `network_id` (nullopt: none, or not visible).
std::optional<FoldedNetwork> NetworkRecords(const Visit& v, const std::string& network_id);

// The page that asks to confirm `m` (all it holds sent again with _confirm=yes),
// naming the record and what was typed (and `details_html`, e.g. the scores); and the one that
// offers it again after a refusal, `changes` saying what changed since the page was loaded.
Page ConfirmPage(const Visit& v, const Records* records, const FormModel& m,
                 const std::string& details_html = {});
Page RefusedPage(const Visit& v, const Records* records, const FormModel& m, const Error& error,
                 const std::string& changes);

// The field a validation message names ("field 'due' must be ..." → "due"), or "".
std::string FieldOfMessage(std::string_view message);
// The message with field names as their labels ("field 'due'" → "Due"),
// and (given the records) in the network's words (Records::InWords).
std::string MessageInWords(std::string_view message, const Records* records = nullptr);

}  // namespace waymark::web
