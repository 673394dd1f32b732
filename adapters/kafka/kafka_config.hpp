#pragma once

#include <librdkafka/rdkafka.h>

#include <expected>
#include <initializer_list>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace waymark::kafka {

// Builds an rd_kafka_conf_t from key/value pairs; the error names the
// setting librdkafka refused. The caller owns the result (rd_kafka_new takes it).
inline std::expected<rd_kafka_conf_t*, Error> MakeConfig(
    std::initializer_list<std::pair<std::string, std::string>> settings) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return std::unexpected(
          MakeError(ErrorCode::kValidation, "Kafka setting " + key + "=" + value + ": " + errstr));
    }
  }
  return conf;
}

// Owns an rd_kafka_t.
struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};

}  // namespace waymark::kafka
