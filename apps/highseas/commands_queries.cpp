// show, list, mine, holdings, history: looking at the pool.
#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "format.hpp"

namespace highseas::cli {

namespace {

std::string tags_text(const std::vector<std::string>& tags) {
  std::string text;
  for (const std::string& tag : tags) text += (text.empty() ? "" : ";") + tag;
  return text;
}

// Prints customers as a table (or JSON array); flags holdings under the threshold.
void print_customers(Session& session, const std::vector<CustomerView>& views, Duration threshold) {
  if (session.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const CustomerView& view : views) rows.push_back(to_json(view));
    session.print_json(rows);
    return;
  }
  Table table({"", "id", "name", "country", "level", "state", "holder", "time left", "warned"});
  for (const CustomerView& view : views) {
    // "warned" counts the reminders the holder got for this deadline.
    table.add({rules::is_urgent(view, threshold) ? "!" : "", view.profile.id.str(),
               view.profile.name, view.profile.country, view.profile.level,
               std::string(to_string(view.state)), view.holder ? view.holder->str() : "",
               time_left_text(view),
               view.reminders_sent == 0 ? "" : std::to_string(view.reminders_sent) + "x"});
  }
  table.print(session.out());
}

Duration threshold_of(const std::string& text) {
  const auto parsed = parse_duration(text);
  if (!parsed) throw UsageError{"--warn must look like 3d, 12h or 45m"};
  return *parsed;
}

struct ListArgs {
  AvailableFilter filter;
  std::string name;  // --name: part of the normalised name (name_key)
  std::string after;
  std::size_t limit = 20;
};

// Available customers have no holder, deadline or urgency: list shows what they have.
void print_available(Session& session, const std::vector<CustomerView>& views) {
  Table table({"id", "name", "country", "level", "tags"});
  for (const CustomerView& view : views) {
    table.add({view.profile.id.str(), view.profile.name, view.profile.country, view.profile.level,
               tags_text(view.profile.tags)});
  }
  table.print(session.out());
}

// list --name: pages through the pool (the library has no name search; see
// issue 15) and keeps the customers whose normalised name contains the
// normalised TEXT, so "acme trading" finds "ACME Trading Co., Ltd.".
int run_name_search(Session& session, AvailableQuery query, const ListArgs& args) {
  const std::string wanted = name_key(args.name);
  if (wanted.empty()) throw UsageError{"--name needs letters or digits to search for"};
  std::vector<CustomerView> found;
  std::optional<CustomerId> next;
  query.limit = PublicPool::kMaxPage;
  for (;;) {
    auto page = session.pool().available(session.actor(), query);
    if (!page) return session.refused(page.refusal());
    for (const CustomerView& view : page->customers) {
      if (name_key(view.profile.name).find(wanted) == std::string::npos) continue;
      if (found.size() == args.limit) {
        next = found.back().profile.id;
        break;
      }
      found.push_back(view);
    }
    if (next || !page->next) break;
    query.after = page->next;
  }
  if (session.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const CustomerView& view : found) rows.push_back(to_json(view));
    return session.print_json(
        {{"customers", rows},
         {"next", next ? nlohmann::json(next->str()) : nlohmann::json(nullptr)}});
  }
  if (found.empty()) {
    session.out() << "no available customer's name contains '" << args.name << "'\n";
    return kExitOk;
  }
  print_available(session, found);
  if (next) session.out() << "more: --after " << next->str() << "\n";
  return kExitOk;
}

int run_list(Session& session, const ListArgs& args) {
  AvailableQuery query;
  query.filter = args.filter;
  query.filter.country = normalize_country(args.filter.country);
  if (!query.filter.country.empty() && !is_country_code(query.filter.country)) {
    // A filter nothing can match would print an empty pool, as if nobody were there.
    throw UsageError{"--country must be an ISO 3166-1 alpha-2 code such as BR, not '" +
                     args.filter.country + "'"};
  }
  if (!args.after.empty()) query.after = CustomerId(args.after);
  if (!args.name.empty()) return run_name_search(session, query, args);
  query.limit = args.limit;
  auto page = session.pool().available(session.actor(), query);
  if (!page) return session.refused(page.refusal());
  if (session.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const CustomerView& view : page->customers) rows.push_back(to_json(view));
    return session.print_json(
        {{"customers", rows},
         {"next", page->next ? nlohmann::json(page->next->str()) : nlohmann::json(nullptr)}});
  }
  print_available(session, page->customers);
  if (page->next) session.out() << "more: --after " << page->next->str() << "\n";
  return kExitOk;
}

int run_holdings(Session& session, const UserId& user, const std::string& warn) {
  const Duration threshold = threshold_of(warn);
  auto held = session.pool().holdings(session.actor(), user);
  if (!held) return session.refused(held.refusal());
  if (!session.json && held->empty()) {
    session.out() << user << " holds no customers\n";
    return kExitOk;
  }
  print_customers(session, *held, threshold);
  if (!session.json) {
    const auto urgent = std::count_if(held->begin(), held->end(), [&](const CustomerView& v) {
      return rules::is_urgent(v, threshold);
    });
    session.out() << held->size() << " held";
    if (urgent > 0)
      session.out() << ", " << urgent << " with less than " << duration_text(threshold)
                    << " left (!)";
    session.out() << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_query_commands(CLI::App& app, Session& session, Action& action) {
  auto customer = std::make_shared<std::string>();
  CLI::App* show = app.add_subcommand("show", "show one customer as the pool sees it");
  show->add_option("CUSTOMER", *customer)->required();
  show->callback([&session, &action, customer] {
    action = [&session, customer] {
      auto view = session.pool().customer(session.actor(), CustomerId(*customer));
      if (!view) return session.refused(view.refusal());
      if (session.json) return session.print_json(to_json(*view));
      Table table({"field", "value"});
      table.add({"id", view->profile.id.str()});
      table.add({"name", view->profile.name});
      table.add({"country", view->profile.country});
      table.add({"level", view->profile.level});
      table.add({"tags", tags_text(view->profile.tags)});
      table.add({"state", std::string(to_string(view->state))});
      if (view->holder) table.add({"holder", view->holder->str()});
      if (view->state == CustomerState::held) {
        table.add({"deadline", deadline_text(*view)});
        if (view->deadline_reason) {
          table.add({"returns because", std::string(to_string(*view->deadline_reason)) +
                                            " (explain " + view->profile.id.str() + ")"});
        }
        if (!view->protected_until.is_special()) {
          table.add({"protected until", time_text(view->protected_until)});
        }
        table.add({"time left", time_left_text(*view)});
        table.add({"extensions", std::to_string(view->extensions_used) + " used, " +
                                     std::to_string(view->extensions_left) + " left"});
        table.add({"last follow-up", time_text(view->last_follow_up)});
      }
      table.add({"since", time_text(view->since)});
      table.print(session.out());
      return kExitOk;
    };
  });

  CLI::App* explain =
      app.add_subcommand("explain", "why a held customer returns when it does, and what moves it");
  explain->add_option("CUSTOMER", *customer)->required();
  explain->callback([&session, &action, customer] {
    action = [&session, customer] {
      auto why = session.pool().explain(session.actor(), CustomerId(*customer));
      if (!why) return session.refused(why.refusal());
      if (session.json) return session.print_json(to_json(*why));
      print_explanation(session.out(), *why);
      return kExitOk;
    };
  });

  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list =
      app.add_subcommand("list", "list available customers, by id, one page at a time");
  list->add_option("--country", list_args->filter.country, "ISO 3166-1 alpha-2, e.g. BR");
  list->add_option("--level", list_args->filter.level, "e.g. A");
  list->add_option("--tag", list_args->filter.tag, "customers with this tag");
  list->add_option("--name", list_args->name,
                   "names containing TEXT, ignoring case, spaces and punctuation (撞单 check)");
  list->add_option("--after", list_args->after, "start after this customer id (paging)");
  list->add_option("--limit", list_args->limit, "page size, 1..1000 (default 20)")
      ->check(CLI::Range(1, 1000));
  list->callback([&session, &action, list_args] {
    action = [&session, list_args] { return run_list(session, *list_args); };
  });

  auto warn = std::make_shared<std::string>("3d");
  CLI::App* mine = app.add_subcommand("mine", "what you hold, earliest deadline first");
  mine->add_option("--warn", *warn, "flag holdings with less than this left (default 3d)");
  mine->callback([&session, &action, warn] {
    action = [&session, warn] { return run_holdings(session, session.actor(), *warn); };
  });

  auto user = std::make_shared<std::string>();
  CLI::App* holdings = app.add_subcommand("holdings", "what USER holds (default: you)");
  holdings->add_option("USER", *user);
  holdings->add_option("--warn", *warn, "flag holdings with less than this left (default 3d)");
  holdings->callback([&session, &action, user, warn] {
    action = [&session, user, warn] {
      return run_holdings(session, user->empty() ? session.actor() : UserId(*user), *warn);
    };
  });

  CLI::App* history = app.add_subcommand("history", "who held a customer, when, and why it moved");
  history->add_option("CUSTOMER", *customer)->required();
  history->callback([&session, &action, customer] {
    action = [&session, customer] {
      auto entries = session.pool().history(session.actor(), CustomerId(*customer));
      if (!entries) return session.refused(entries.refusal());
      if (session.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const HistoryEntry& entry : *entries) rows.push_back(to_json(entry));
        return session.print_json(rows);
      }
      Table table({"at", "what", "by", "from", "to", "deadline", "why", "note"});
      for (const HistoryEntry& entry : *entries) {
        // "from" is who held it before: a returned row names the rep who lost it.
        table.add({time_text(entry.at), std::string(to_string(entry.kind)),
                   entry.actor ? entry.actor->str() : "(system)",
                   entry.holder_before ? entry.holder_before->str() : "",
                   entry.holder_after ? entry.holder_after->str() : "",
                   entry.deadline.is_special() ? "" : time_text(entry.deadline),
                   entry.deadline_reason ? std::string(to_string(*entry.deadline_reason)) : "",
                   entry.note});
      }
      table.print(session.out());
      return kExitOk;
    };
  });
}

}  // namespace highseas::cli
