#pragma once

#include <boost/json/object.hpp>
#include <expected>
#include <string>

#include "core/error.hpp"
#include "core/event.hpp"

namespace waymark {

// The wire form of a recorded event, shared by export files, Kafka message
// values and the HTTP API: {"stream","version","position","type",
// "schema_version","data","metadata":{...,"recorded_at"},"hash"}.
boost::json::object MetadataToJson(const EventMetadata& metadata);
boost::json::object EventToJson(const RecordedEvent& event);

// Strict inverse of EventToJson: every field present and of the right type.
// The error names the field. (`commit` is not part of the wire form and is 0.)
std::expected<RecordedEvent, Error> EventFromJson(const boost::json::value& json);

// The metadata object as stored: everything but recorded_at, which the
// store keeps in its own column.
std::expected<EventMetadata, Error> MetadataFromJson(const boost::json::value& json,
                                                     bool require_recorded_at);

}  // namespace waymark
