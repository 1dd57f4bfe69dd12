// The change signal of core/change_signal.h for the portal database: on PostgreSQL a connection
// of its own that LISTENs on the channel the journal triggers NOTIFY (store/dialect_postgresql.cc),
// reconnecting with backoff when it is lost; elsewhere none (the daemon polls).
#pragma once

#include <memory>
#include <string>

#include "core/change_signal.h"

namespace ps {

// The channel the journal triggers notify, in the transaction that writes the journal: listeners
// hear of it when that transaction commits, never of one rolled back. The payload is empty:
// the daemon reads the journal itself.
inline constexpr const char* kJournalChannel = "portalsync_journal";

// How pg_stat_activity names the listening session (a DBA, or a test, can find it).
inline constexpr const char* kListenApplicationName = "portalsyncd listen";

std::unique_ptr<ChangeSignal> journal_change_signal(const std::string& url);

}  // namespace ps
