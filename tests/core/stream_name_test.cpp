#include "core/stream_name.hpp"

#include <gtest/gtest.h>

namespace waymark {
namespace {

TEST(StreamName, SplitsKindAndId) {
  auto name = ParseStreamName("milestone-ne-2026_q1");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->kind, "milestone");
  EXPECT_EQ(name->id, "ne-2026_q1");
  EXPECT_TRUE(ParseStreamName("step-" + std::string(64, 'Z')));
}

TEST(StreamName, RefusesWithTheReasonAndTheAcceptedForm) {
  struct Case {
    std::string stream;
    std::string reason;
  };
  for (const auto& c : std::vector<Case>{
           {"network", "no '-'"},
           {"-n1", "the kind must be 1-32"},
           {"Network-n1", "must start with a-z"},
           {"net work-n1", "only a-z and _"},
           {"network-", "the id is empty"},
           {"network-" + std::string(65, 'a'), "longer than 64"},
           {"network-n 1", "outside A-Z a-z 0-9 _ -"},
           {"network-n1;drop", "outside A-Z a-z 0-9 _ -"},
           {"network-ü", "outside"},
       }) {
    auto name = ParseStreamName(c.stream);
    ASSERT_FALSE(name) << c.stream;
    EXPECT_EQ(name.error().code, ErrorCode::kValidation);
    EXPECT_NE(name.error().message.find(c.reason), std::string::npos) << name.error().message;
    EXPECT_NE(name.error().message.find("expected <kind>-<id>"), std::string::npos);
  }
}

}  // namespace
}  // namespace waymark
