#pragma once

#include <string_view>

namespace waymark::workflows {

// DESIGN.md "Who may do what", the one place it is written:
// - officer: every person's command (four eyes on approving and verifying
//   are the workflows' guards);
// - admin: every officer command;
// - network: on its own network only (the command handler keeps it there):
//   scoring and submitting its assessment; adding and removing actions on
//   its draft plan, proposing, returning and agreeing it; scheduling,
//   starting, flagging, clearing and submitting evidence on its milestones;
//   recording membership (and, later, opportunities, representation and
//   referrals); every step command;
// - auditor: no command;
// - system (the engine's policies and timers): the commands they issue.
bool RoleMayIssue(std::string_view role, std::string_view command);

}  // namespace waymark::workflows
