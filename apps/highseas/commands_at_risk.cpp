// at-risk: the holdings about to return (回收预警), for one rep or the team.
#include <memory>
#include <string>

#include "commands.hpp"
#include "format.hpp"

namespace highseas::cli {

namespace {

struct AtRiskArgs {
  std::string within = "3d";
  std::string user;
  std::size_t limit = 50;
};

nlohmann::json to_json(const DeadlinePosition& position) {
  return {{"deadline", to_iso8601(position.deadline)}, {"id", position.id.str()}};
}

int run_at_risk(Session& session, const AtRiskArgs& args) {
  AtRiskQuery query;
  const auto within = parse_span(args.within);
  if (!within) throw UsageError{"--within must look like 3d, 12h or 2bd (working days)"};
  query.within = *within;
  if (!args.user.empty()) query.holder = UserId(args.user);
  query.limit = args.limit;
  auto page = session.pool().at_risk(session.actor(), query);
  if (!page) return session.refused(page.refusal());
  if (session.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const CustomerView& view : page->customers) rows.push_back(cli::to_json(view));
    return session.print_json(
        {{"until", to_iso8601(page->until)},
         {"customers", rows},
         {"next", page->next ? to_json(*page->next) : nlohmann::json(nullptr)}});
  }
  const std::string whose = args.user.empty() ? "the team's" : args.user + "'s";
  if (page->customers.empty()) {
    session.out() << "none of " << whose << " holdings returns by " << time_text(page->until)
                  << "\n";
    return kExitOk;
  }
  Table table({"id", "name", "holder", "deadline", "why", "time left"});
  for (const CustomerView& view : page->customers) {
    table.add({view.profile.id.str(), view.profile.name, view.holder ? view.holder->str() : "",
               time_text(view.deadline),
               view.deadline_reason ? std::string(to_string(*view.deadline_reason)) : "",
               time_left_text(view)});
  }
  table.print(session.out());
  session.out() << page->customers.size() << " of " << whose << " holdings return by "
                << time_text(page->until);
  if (page->next) session.out() << "; more: raise --limit";
  session.out() << "\n";
  return kExitOk;
}

}  // namespace

void add_at_risk_command(CLI::App& app, Session& session, Action& action) {
  auto args = std::make_shared<AtRiskArgs>();
  CLI::App* at_risk = app.add_subcommand(
      "at-risk", "holdings about to return (回收预警), earliest deadline first, with why");
  at_risk->add_option("--within", args->within,
                      "deadlines up to the end of this many days from now, e.g. 3d (default) "
                      "or 2bd (working days)");
  at_risk->add_option("--user", args->user, "one rep's holdings (default: the whole team's)");
  at_risk->add_option("--limit", args->limit, "at most this many, 1..1000 (default 50)")
      ->check(CLI::Range(1, 1000));
  at_risk->callback([&session, &action, args] {
    action = [&session, args] { return run_at_risk(session, *args); };
  });
}

}  // namespace highseas::cli
