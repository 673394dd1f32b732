#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/postgres/pg_checkpoint_store.hpp"
#include "adapters/postgres/pg_event_store.hpp"
#include "core/clock.hpp"
#include "tests/support/kafka_topic.hpp"
#include "tests/support/pg_schema.hpp"

namespace waymark::testing {

// A test's own PostgreSQL schema with its event store and checkpoints, and a
// Kafka topic of its own on the shared test broker.
class StoreAndTopicTest : public ::testing::Test {
 protected:
  explicit StoreAndTopicTest(const std::string& topic_prefix) : topic_(UniqueTopic(topic_prefix)) {}

  ManualClock clock_{*ParseRfc3339("2026-11-26T12:00:00Z")};
  PgSchema schema_;
  std::unique_ptr<EventStore> store_ = postgres::MakePostgresEventStore(schema_.conninfo(), clock_);
  std::unique_ptr<CheckpointStore> checkpoints_ =
      postgres::MakePostgresCheckpointStore(schema_.conninfo());
  std::string topic_;
};

}  // namespace waymark::testing
