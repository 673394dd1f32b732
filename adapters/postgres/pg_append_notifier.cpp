#include "adapters/postgres/pg_append_notifier.hpp"

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

namespace waymark::postgres {

struct AppendNotifier::Impl {
  struct Receiver final : pqxx::notification_receiver {
    explicit Receiver(pqxx::connection_base& c)
        : pqxx::notification_receiver(c, "waymark_events") {}
    void operator()(const std::string&, int) override {}
  };
  std::string conninfo;
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<Receiver> receiver;
};

AppendNotifier::AppendNotifier(std::string conninfo) : impl_(std::make_unique<Impl>()) {
  impl_->conninfo = std::move(conninfo);
}

AppendNotifier::~AppendNotifier() {
  impl_->receiver.reset();  // before the connection it listens on
}

void AppendNotifier::Wait(std::chrono::milliseconds timeout) {
  const long timeout_ms = static_cast<long>(timeout.count());
  try {
    if (!impl_->conn || !impl_->conn->is_open()) {
      impl_->receiver.reset();
      impl_->conn = std::make_unique<pqxx::connection>(impl_->conninfo);
      impl_->receiver = std::make_unique<Impl::Receiver>(*impl_->conn);
    }
    impl_->conn->await_notification(timeout_ms / 1000, (timeout_ms % 1000) * 1000);
  } catch (const std::exception&) {
    impl_->receiver.reset();
    impl_->conn.reset();
    std::this_thread::sleep_for(timeout);
  }
}

}  // namespace waymark::postgres
