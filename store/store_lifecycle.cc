// SociPortalStore: reserved-effect changes, rule decisions written to the portal tables, custody,
// and mass-change holds. Each write and its change-log record share one transaction.
#include "store/database.h"
#include "store/dialect.h"
#include "store/row_reader.h"
#include "store/soci_portal_store.h"

namespace ps {

namespace {

ScheduledChange read_scheduled_change(const RowReader& r) {
  ScheduledChange c;
  c.id = r.integer(0);
  c.account_id = r.integer(1);
  c.kind = r.text(2);
  c.target_org_unit_id = r.nullable(3);
  c.target_role = r.text(4);
  c.reason = r.text(5);
  c.effective_at = r.text(6);
  c.batch_id = r.text(7);
  c.requested_by = r.text(8);
  c.state = parse_change_state(r.text(9)).value_or(ChangeState::unknown);
  c.outcome = r.text(10);
  c.executed_at = r.text(11);
  return c;
}

// A scheduled change's state ("" when there is no such row).
std::string scheduled_state(soci::session& sql, long long id) {
  std::string state;
  soci::indicator ind = soci::i_null;
  sql << "SELECT state FROM scheduled_changes WHERE id = :i", soci::into(state, ind), soci::use(id);
  return sql.got_data() ? (ind == soci::i_null ? "NULL" : state) : "";
}

// Records the execution of a pending scheduled change. Conditional, so that a change is executed
// at most once, also across a crash, and never after the portal cancelled it meanwhile.
Status mark_executed(soci::session& sql, long long id, const std::string& state,
                     const std::string& outcome, const std::string& at) {
  soci::statement st =
      (sql.prepare << "UPDATE scheduled_changes SET state = :s, outcome = :o, executed_at = :at "
                      "WHERE id = :i AND state = 'pending'",
       soci::use(state), soci::use(outcome), soci::use(at), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() > 0) return Status::ok();
  auto now = scheduled_state(sql, id);
  if (now.empty())
    return Status::error(StatusCode::not_found,
                         "scheduled change " + std::to_string(id) + " does not exist");
  return Status::error(StatusCode::conflict, "scheduled change " + std::to_string(id) + " is " +
                                                 now + ", only pending changes can be executed");
}

void update_account(soci::session& sql, const AccountUpdate& u, long long account,
                    const std::string& at) {
  if (u.status)
    sql << "UPDATE accounts SET status = :s, updated_at = :at WHERE id = :i", soci::use(*u.status),
        soci::use(at), soci::use(account);
  if (u.disabled_reason)
    sql << "UPDATE accounts SET disabled_reason = :r WHERE id = :i", soci::use(*u.disabled_reason),
        soci::use(account);
  if (u.org_unit_id) {
    long long unit = *u.org_unit_id;
    sql << "UPDATE accounts SET org_unit_id = :u, updated_at = :at WHERE id = :i", soci::use(unit),
        soci::use(at), soci::use(account);
  }
  if (u.role)
    sql << "UPDATE accounts SET role = :r, updated_at = :at WHERE id = :i", soci::use(*u.role),
        soci::use(at), soci::use(account);
}

}  // namespace

Result<std::vector<ScheduledChange>> SociPortalStore::load_scheduled_changes() {
  std::vector<ScheduledChange> out;
  try {
    auto r = read_rows(*sql_,
                       "SELECT id, account_id, kind, target_org_unit_id, target_role, reason, "
                       "effective_at, batch_id, requested_by, state, outcome, executed_at "
                       "FROM scheduled_changes ORDER BY " +
                           dialect_of(*sql_).byte_order("effective_at") + ", id");
    while (r->next()) out.push_back(read_scheduled_change(*r));
  } catch (const std::exception& e) {
    return Error{failure("cannot read scheduled_changes", e).message()};
  }
  return out;
}

Status SociPortalStore::add_scheduled_changes(std::vector<ScheduledChange>& rows,
                                              std::vector<ChangeRecord> records) {
  try {
    soci::transaction tx(*sql_);
    std::vector<RowId> ids;
    // One statement per row, each finished before the next: SQLite cannot commit while a
    // RETURNING statement is still open.
    for (const auto& c : rows) {
      long long account = c.account_id, target = c.target_org_unit_id.value_or(0), id = 0;
      soci::indicator target_ind = c.target_org_unit_id ? soci::i_ok : soci::i_null;
      soci::indicator role_ind = c.target_role.empty() ? soci::i_null : soci::i_ok;
      soci::indicator batch_ind = c.batch_id.empty() ? soci::i_null : soci::i_ok;
      *sql_ << "INSERT INTO scheduled_changes(account_id, kind, target_org_unit_id, target_role, "
               "reason, effective_at, batch_id, requested_by, state) "
               "VALUES (:a, :k, :t, :r, :reason, :at, :b, :by, 'pending') RETURNING id",
          soci::use(account), soci::use(c.kind), soci::use(target, target_ind),
          soci::use(c.target_role, role_ind), soci::use(c.reason), soci::use(c.effective_at),
          soci::use(c.batch_id, batch_ind), soci::use(c.requested_by), soci::into(id);
      ids.push_back(id);
    }
    for (std::size_t i = 0; i < records.size() && i < ids.size(); ++i) {
      records[i].subject_id = ids[i];
      insert_record(records[i]);
    }
    tx.commit();
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].id = ids[i];  // only once they exist
  } catch (const std::exception& e) {
    return failure("cannot add scheduled changes", e);
  }
  return Status::ok();
}

Status SociPortalStore::cancel_scheduled_change(RowId id, const ChangeRecord& record) {
  try {
    soci::transaction tx(*sql_);  // rolled back by an early return
    // outcome and executed_at stay NULL: a cancelled change was never executed.
    long long row_id = id;
    soci::statement st = (sql_->prepare << "UPDATE scheduled_changes SET state = 'cancelled' WHERE "
                                           "id = :i AND state = 'pending'",
                          soci::use(row_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      auto state = scheduled_state(*sql_, row_id);
      if (state.empty())
        return Status::error(StatusCode::not_found,
                             "scheduled change " + std::to_string(id) + " does not exist");
      return Status::error(StatusCode::conflict, "scheduled change " + std::to_string(id) + " is " +
                                                     state +
                                                     ", only pending changes can be cancelled");
    }
    insert_record(record);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot cancel scheduled change " + std::to_string(id), e);
  }
  return Status::ok();
}

Status SociPortalStore::record_decision(const RuleDecision& d, const ChangeRecord& record) {
  try {
    soci::transaction tx(*sql_);  // rolled back by an early return
    // The scheduled row first: a change the portal cancelled meanwhile is not carried out.
    if (d.scheduled_change_id)
      if (auto st = mark_executed(*sql_, d.scheduled_change_id, std::string(to_string(d.state)),
                                  d.outcome, record.at);
          !st)
        return Status::error(st.code(), st.message() + ": the decision on account " +
                                            std::to_string(d.account_id) + " was not carried out");
    if (d.changes_account()) update_account(*sql_, d.update, d.account_id, record.at);
    insert_record(record);
    tx.commit();
  } catch (const std::exception& e) {
    return failure("cannot record the decision on account " + std::to_string(d.account_id), e);
  }
  return Status::ok();
}

Status SociPortalStore::set_custodian(RowId shared_account_id, RowId custodian_id,
                                      const ChangeRecord& record) {
  try {
    soci::transaction tx(*sql_);
    long long shared = shared_account_id, custodian = custodian_id;
    *sql_ << "UPDATE shared_accounts SET custodian_id = :c WHERE id = :s", soci::use(custodian),
        soci::use(shared);
    insert_record(record);
    tx.commit();
  } catch (const std::exception& e) {
    return failure(
        "cannot set the custodian of shared account " + std::to_string(shared_account_id), e);
  }
  return Status::ok();
}

Result<std::vector<Hold>> SociPortalStore::load_holds() {
  std::vector<Hold> out;
  try {
    soci::rowset<soci::row> rows =
        (sql_->prepare
         << "SELECT id, fingerprint, created_at, destructive, managed, reason, state, "
            "approved_by, approved_at, (SELECT after_json FROM ps_change_log c WHERE c.kind = "
            "'hold' AND c.subject_id = h.id AND c.operation = 'hold' ORDER BY c.id LIMIT 1) "
            "FROM ps_holds h ORDER BY id DESC");
    for (const auto& r : rows) {
      Hold h;
      h.id = column_int(r, 0);
      h.fingerprint = column_text(r, 1);
      h.created_at = column_text(r, 2);
      h.destructive = static_cast<std::size_t>(column_int(r, 3));
      h.managed = static_cast<std::size_t>(column_int(r, 4));
      h.reason = column_text(r, 5);
      // A state this build does not know binds nothing: closed, never approved.
      h.state = parse_hold_state(column_text(r, 6)).value_or(HoldState::expired);
      h.approved_by = column_text(r, 7);
      h.approved_at = column_text(r, 8);
      h.sample_json = column_text(r, 9);
      out.push_back(std::move(h));
    }
  } catch (const std::exception& e) {
    return Error{failure("cannot read ps_holds", e).message()};
  }
  return out;
}

Result<RowId> SociPortalStore::save_hold(const Hold& h, const ChangeRecord& record) {
  try {
    soci::transaction tx(*sql_);
    long long id = h.id, destructive = static_cast<long long>(h.destructive),
              managed = static_cast<long long>(h.managed);
    std::string state(to_string(h.state));
    if (h.id == 0) {
      *sql_ << "INSERT INTO ps_holds(fingerprint, created_at, destructive, managed, reason, state) "
               "VALUES (:f, :c, :d, :m, :r, :s) RETURNING id",
          soci::use(h.fingerprint), soci::use(h.created_at), soci::use(destructive),
          soci::use(managed), soci::use(h.reason), soci::use(state), soci::into(id);
    } else {
      *sql_ << "UPDATE ps_holds SET state = :s, approved_by = :b, approved_at = :a WHERE id = :i",
          soci::use(state), soci::use(h.approved_by), soci::use(h.approved_at), soci::use(id);
    }
    auto r = record;
    r.kind = SubjectKind::hold;
    r.subject_id = id;
    r.subject_name = "hold " + std::to_string(id);
    insert_record(r);
    tx.commit();
    return static_cast<RowId>(id);
  } catch (const std::exception& e) {
    return Error{failure("cannot save hold " + std::to_string(h.id), e).message()};
  }
}

}  // namespace ps
