// A plain libpq connection for what tests do behind the storage's back:
// inspecting tables, faking a newer schema, killing sessions.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>
#include <string>

namespace highseas::test {

class AdminConnection {
 public:
  explicit AdminConnection(const std::string& uri) : conn_(PQconnectdb(uri.c_str()), &PQfinish) {}

  // Returns true iff connected.
  bool ok() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

  // Runs `sql`; returns the first column of the first row ("" if none), or
  // "ERROR: ..." if it failed.
  std::string query(const std::string& sql) {
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(PQexec(conn_.get(), sql.c_str()),
                                                          &PQclear);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      return std::string("ERROR: ") + PQerrorMessage(conn_.get());
    }
    if (PQntuples(result.get()) == 0) return "";
    return PQgetvalue(result.get(), 0, 0);
  }

  // Returns `name` quoted as an identifier.
  std::string quote(const std::string& name) {
    char* quoted = PQescapeIdentifier(conn_.get(), name.c_str(), name.size());
    std::string text(quoted);
    PQfreemem(quoted);
    return text;
  }

  // Terminates every session whose application_name is `name`; returns how many.
  std::string kill_sessions(const std::string& name) {
    // The name is test-generated ([a-z0-9_]), safe as a literal.
    return query(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = '" +
        name + "'");
  }

 private:
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
};

}  // namespace highseas::test
