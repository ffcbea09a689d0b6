//! Tests of the query language: every construct, the precedence, every error
//! and where it points, printing, and property tests.

use cable::Date;
use proptest::prelude::*;

use super::*;

fn parsed(query: &str) -> Query {
    parse(query).unwrap_or_else(|error| panic!("{query:?} should parse:\n{error}"))
}

fn error(query: &str) -> SyntaxError {
    match parse(query) {
        Ok(parsed) => panic!("{query:?} should not parse, but gave {parsed:?}"),
        Err(error) => error,
    }
}

/// Asserts that `query` fails at `position` with a message containing
/// `message`, and returns the error.
#[track_caller]
fn fails(query: &str, position: usize, message: &str) -> SyntaxError {
    let error = error(query);
    assert!(error.message.contains(message), "{query:?}: message {:?} lacks {message:?}", error.message);
    assert_eq!(error.position, position, "{query:?}: wrong position for {:?}", error.message);
    error
}

fn word(text: &str) -> Query {
    Query::Term { field: None, text: text.into() }
}

fn field(field: Field, text: &str) -> Query {
    Query::Term { field: Some(field), text: text.into() }
}

fn prefix(field: Option<Field>, prefix: &str) -> Query {
    Query::Prefix { field, prefix: prefix.into() }
}

fn phrase(field: Option<Field>, words: &[&str], slop: u32) -> Query {
    Query::Phrase { field, words: words.iter().map(|w| w.to_string()).collect(), slop }
}

fn and(must: Vec<Query>) -> Query {
    Query::Boolean { must, should: vec![], must_not: vec![] }
}

fn or(should: Vec<Query>) -> Query {
    Query::Boolean { must: vec![], should, must_not: vec![] }
}

fn not(must_not: Vec<Query>) -> Query {
    Query::Boolean { must: vec![], should: vec![], must_not }
}

fn and_not(must: Vec<Query>, must_not: Vec<Query>) -> Query {
    Query::Boolean { must, should: vec![], must_not }
}

fn created(from: Option<(u16, u8, u8)>, until: Option<(u16, u8, u8)>) -> Query {
    let date = |(y, m, d)| Date::new(y, m, d).unwrap();
    Query::Created { from: from.map(date), until: until.map(date) }
}

// ---- Words, phrases, prefixes ----------------------------------------------

#[test]
fn empty_query_is_all() {
    assert_eq!(parsed(""), Query::All);
    assert_eq!(parsed("   \t\n "), Query::All);
    assert_eq!(parsed("\u{3000}"), Query::All);
}

#[test]
fn words_are_anded_and_kept_as_typed() {
    assert_eq!(parsed("munitions"), word("munitions"));
    assert_eq!(parsed("  Cluster   MUNITIONS "), and(vec![word("Cluster"), word("MUNITIONS")]));
    assert_eq!(
        parsed("al-Qaeda U.S. 08STATE134777"),
        and(vec![word("al-Qaeda"), word("U.S."), word("08STATE134777")])
    );
    assert_eq!(parsed("Karzaï «Kabul» 北京"), and(vec![word("Karzaï"), word("«Kabul»"), word("北京")]));
    assert_eq!(parsed("a\tb\nc"), and(vec![word("a"), word("b"), word("c")]));
}

#[test]
fn lower_case_keywords_are_words() {
    assert_eq!(parsed("rock and roll"), and(vec![word("rock"), word("and"), word("roll")]));
    assert_eq!(parsed("or not"), and(vec![word("or"), word("not")]));
    assert_eq!(parsed("And Or Not"), and(vec![word("And"), word("Or"), word("Not")]));
    assert_eq!(parsed("ANDROID ORBIT NOTE"), and(vec![word("ANDROID"), word("ORBIT"), word("NOTE")]));
}

#[test]
fn punctuation_inside_words() {
    // `-` and `+` are operators only at the start of a word.
    assert_eq!(parsed("a-b c+ 1+1 x-"), and(vec![word("a-b"), word("c+"), word("1+1"), word("x-")]));
    // A colon not preceded by letters only is text.
    assert_eq!(parsed("12:30"), word("12:30"));
    assert_eq!(parsed("T12:30 :x a1:b"), and(vec![word("T12:30"), word(":x"), word("a1:b")]));
    // So are URLs.
    assert_eq!(parsed("http://example.org/a"), word("http://example.org/a"));
    assert_eq!(parsed("https://x*"), prefix(None, "https://x"));
    // A lone `~` or one inside a word.
    assert_eq!(parsed("~ a~b ~2"), and(vec![word("~"), word("a~b"), word("~2")]));
}

#[test]
fn phrases() {
    assert_eq!(parsed("\"cluster munitions\""), phrase(None, &["cluster", "munitions"], 0));
    assert_eq!(parsed("\"  cluster \t munitions  \""), phrase(None, &["cluster", "munitions"], 0));
    assert_eq!(parsed("\"cluster munitions\"~5"), phrase(None, &["cluster", "munitions"], 5));
    assert_eq!(parsed("\"a b\"~0"), phrase(None, &["a", "b"], 0));
    assert_eq!(parsed("\"a b\"~007"), phrase(None, &["a", "b"], 7));
    assert_eq!(parsed("\"a b\"~4294967295"), phrase(None, &["a", "b"], u32::MAX));
    // Operators and fields are text inside quotes.
    assert_eq!(
        parsed("\"NOT (a OR b) -c tag:x\""),
        phrase(None, &["NOT", "(a", "OR", "b)", "-c", "tag:x"], 0)
    );
    // A quoted single word is a term, whatever it contains.
    assert_eq!(parsed("\"munitions\""), word("munitions"));
    assert_eq!(parsed("\" AND \""), word("AND"));
    assert_eq!(parsed("\"author:smith\"~3"), word("author:smith"));
    assert_eq!(parsed("\"-\""), word("-"));
    // Phrases next to other things.
    assert_eq!(parsed("a\"b c\"d"), and(vec![word("a"), phrase(None, &["b", "c"], 0), word("d")]));
    assert_eq!(
        parsed("\"a b\"~2\"c d\""),
        and(vec![phrase(None, &["a", "b"], 2), phrase(None, &["c", "d"], 0)])
    );
}

#[test]
fn prefixes() {
    assert_eq!(parsed("munit*"), prefix(None, "munit"));
    assert_eq!(parsed("mu*"), prefix(None, "mu"));
    assert_eq!(parsed("Éé*"), prefix(None, "Éé"));
    assert_eq!(parsed("tag:PR*"), prefix(Some(Field::Tag), "PR"));
    assert_eq!(parsed("AND*"), prefix(None, "AND"));
    assert_eq!(parsed("cluster munit*"), and(vec![word("cluster"), prefix(None, "munit")]));
    assert_eq!(parsed("-munit*"), not(vec![prefix(None, "munit")]));
}

// ---- Boolean operators and precedence ----------------------------------------

#[test]
fn and_or_not() {
    assert_eq!(parsed("a AND b"), and(vec![word("a"), word("b")]));
    assert_eq!(parsed("a OR b"), or(vec![word("a"), word("b")]));
    assert_eq!(parsed("a OR b OR c"), or(vec![word("a"), word("b"), word("c")]));
    assert_eq!(parsed("a AND b AND c"), and(vec![word("a"), word("b"), word("c")]));
    assert_eq!(parsed("a NOT b"), and_not(vec![word("a")], vec![word("b")]));
    assert_eq!(parsed("a AND NOT b"), and_not(vec![word("a")], vec![word("b")]));
    assert_eq!(parsed("a -b"), and_not(vec![word("a")], vec![word("b")]));
    assert_eq!(parsed("+a -b +c"), and_not(vec![word("a"), word("c")], vec![word("b")]));
    assert_eq!(parsed("+a"), word("a"));
    assert_eq!(parsed("-\"a b\""), not(vec![phrase(None, &["a", "b"], 0)]));
    assert_eq!(parsed("-tag:PREL"), not(vec![field(Field::Tag, "PREL")]));
    assert_eq!(parsed("NOT(a)"), not(vec![word("a")]));
    assert_eq!(parsed("a AND(b OR c)"), and(vec![word("a"), or(vec![word("b"), word("c")])]));
}

#[test]
fn pure_negative_queries() {
    assert_eq!(parsed("-foo"), not(vec![word("foo")]));
    assert_eq!(parsed("NOT foo"), not(vec![word("foo")]));
    assert_eq!(parsed("-a NOT b"), not(vec![word("a"), word("b")]));
    assert_eq!(parsed("-a OR -b"), or(vec![not(vec![word("a")]), not(vec![word("b")])]));
    assert_eq!(parsed("a OR -b"), or(vec![word("a"), not(vec![word("b")])]));
    assert_eq!(parsed("-(-a)"), not(vec![not(vec![word("a")])]));
}

#[test]
fn precedence() {
    // NOT binds tighter than AND, AND tighter than OR.
    assert_eq!(parsed("a OR b c"), or(vec![word("a"), and(vec![word("b"), word("c")])]));
    assert_eq!(parsed("a b OR c"), or(vec![and(vec![word("a"), word("b")]), word("c")]));
    assert_eq!(parsed("a OR b AND c"), or(vec![word("a"), and(vec![word("b"), word("c")])]));
    assert_eq!(
        parsed("a AND b OR c AND d"),
        or(vec![and(vec![word("a"), word("b")]), and(vec![word("c"), word("d")])])
    );
    assert_eq!(parsed("NOT a b"), and_not(vec![word("b")], vec![word("a")]));
    assert_eq!(parsed("NOT a OR b"), or(vec![not(vec![word("a")]), word("b")]));
    assert_eq!(parsed("a OR NOT b c"), or(vec![word("a"), and_not(vec![word("c")], vec![word("b")])]));
    assert_eq!(parsed("(a OR b) c"), and(vec![or(vec![word("a"), word("b")]), word("c")]));
    assert_eq!(
        parsed("(a OR b) (c OR d)"),
        and(vec![or(vec![word("a"), word("b")]), or(vec![word("c"), word("d")])])
    );
    assert_eq!(parsed("-(a OR b) c"), and_not(vec![word("c")], vec![or(vec![word("a"), word("b")])]));
    assert_eq!(parsed("-(a b)"), not(vec![and(vec![word("a"), word("b")])]));
}

#[test]
fn groups_are_flattened() {
    assert_eq!(parsed("(a)"), word("a"));
    assert_eq!(parsed("((((a))))"), word("a"));
    assert_eq!(parsed("(a b) c"), and(vec![word("a"), word("b"), word("c")]));
    assert_eq!(parsed("a (b (c d))"), and(vec![word("a"), word("b"), word("c"), word("d")]));
    assert_eq!(parsed("a (-b) c"), and_not(vec![word("a"), word("c")], vec![word("b")]));
    assert_eq!(parsed("+(a -b)"), and_not(vec![word("a")], vec![word("b")]));
    assert_eq!(parsed("a OR (b OR c)"), or(vec![word("a"), word("b"), word("c")]));
    assert_eq!(parsed("(a OR b) OR (c OR (d))"), or(vec![word("a"), word("b"), word("c"), word("d")]));
    // A disjunction inside a conjunction stays a clause of it.
    assert_eq!(parsed("a (b OR c) d"), and(vec![word("a"), or(vec![word("b"), word("c")]), word("d")]));
}

// ---- Fields ------------------------------------------------------------------

#[test]
fn every_field() {
    for f in Field::ALL {
        assert_eq!(parsed(&format!("{f}:x")), field(f, "x"));
        assert_eq!(parsed(&format!("{}:x", f.name().to_uppercase())), field(f, "x"));
    }
}

#[test]
fn fields_apply_to_the_next_word_phrase_prefix_or_group() {
    assert_eq!(parsed("tag:PREL cluster"), and(vec![field(Field::Tag, "PREL"), word("cluster")]));
    assert_eq!(parsed("Subject:munitions"), field(Field::Subject, "munitions"));
    assert_eq!(
        parsed("subject:\"cluster munitions\""),
        phrase(Some(Field::Subject), &["cluster", "munitions"], 0)
    );
    assert_eq!(
        parsed("subject:\"cluster munitions\"~3"),
        phrase(Some(Field::Subject), &["cluster", "munitions"], 3)
    );
    assert_eq!(parsed("subject:\"munitions\""), field(Field::Subject, "munitions"));
    assert_eq!(parsed("body:munit*"), prefix(Some(Field::Body), "munit"));
    assert_eq!(
        parsed("subject:(cluster OR mine)"),
        or(vec![field(Field::Subject, "cluster"), field(Field::Subject, "mine")])
    );
    assert_eq!(
        parsed("subject:(cluster -mine* \"a b\" (c OR d)) e"),
        and_not(
            vec![
                field(Field::Subject, "cluster"),
                phrase(Some(Field::Subject), &["a", "b"], 0),
                or(vec![field(Field::Subject, "c"), field(Field::Subject, "d")]),
                word("e"),
            ],
            vec![prefix(Some(Field::Subject), "mine")]
        )
    );
    assert_eq!(
        parsed("-subject:(a b)"),
        not(vec![and(vec![field(Field::Subject, "a"), field(Field::Subject, "b")])])
    );
    assert_eq!(parsed("tag:(PREL)"), field(Field::Tag, "PREL"));
    // The value is text: keywords and colons after the field are words.
    assert_eq!(parsed("tag:AND"), field(Field::Tag, "AND"));
    assert_eq!(parsed("tag:&&"), field(Field::Tag, "&&"));
    assert_eq!(parsed("subject:re:munitions"), field(Field::Subject, "re:munitions"));
    assert_eq!(parsed("body:12:30"), field(Field::Body, "12:30"));
    assert_eq!(parsed("id:08STATE134777"), field(Field::Id, "08STATE134777"));
}

#[test]
fn created_dates_and_ranges() {
    assert_eq!(parsed("created:2008"), created(Some((2008, 1, 1)), Some((2009, 1, 1))));
    assert_eq!(parsed("created:2008-12"), created(Some((2008, 12, 1)), Some((2009, 1, 1))));
    assert_eq!(parsed("created:2008-12-29"), created(Some((2008, 12, 29)), Some((2008, 12, 30))));
    assert_eq!(parsed("created:2008-01..2009-06"), created(Some((2008, 1, 1)), Some((2009, 7, 1))));
    assert_eq!(parsed("created:..2008-06"), created(None, Some((2008, 7, 1))));
    assert_eq!(parsed("created:2008.."), created(Some((2008, 1, 1)), None));
    assert_eq!(parsed("CREATED:2008-02"), created(Some((2008, 2, 1)), Some((2008, 3, 1))));
    assert_eq!(
        parsed("munitions -created:2008 OR created:2009-02-28..2009-03-01"),
        or(vec![
            and_not(vec![word("munitions")], vec![created(Some((2008, 1, 1)), Some((2009, 1, 1)))]),
            created(Some((2009, 2, 28)), Some((2009, 3, 2))),
        ])
    );
}

#[test]
fn field_names_and_from_str() {
    for f in Field::ALL {
        assert_eq!(f.name().parse::<Field>(), Ok(f));
        assert_eq!(f.to_string(), f.name());
    }
    assert_eq!("SIGNER".parse::<Field>(), Ok(Field::Signer));
    let unknown = "created".parse::<Field>().unwrap_err();
    assert_eq!(unknown.name, "created");
    assert!(unknown.to_string().starts_with("unknown field `created` (the fields are: id, tag, origin,"));
    assert!("".parse::<Field>().is_err());
}

// ---- Errors ------------------------------------------------------------------

#[test]
fn unbalanced_quotes() {
    let e = fails("cluster \"munitions", 8, "quote is never closed");
    assert!(e.hint.unwrap().contains("closing"));
    fails("\"a b\" \"c", 6, "quote is never closed");
    fails("\"", 0, "quote is never closed");
    fails("tag:\"PREL", 4, "quote is never closed");
}

#[test]
fn unbalanced_parentheses() {
    fails("(cluster munitions", 0, "`(` is never closed");
    fails("a (b (c) d", 2, "`(` is never closed");
    fails("(", 0, "`(` is never closed");
    fails("a (b OR", 5, "nothing after `OR`");
    fails("cluster munitions)", 17, "`)` has no matching `(`");
    fails(")", 0, "`)` has no matching `(`");
    fails("(a) b) (c", 5, "`)` has no matching `(`");
    fails("subject:(a b", 8, "`(` is never closed");
    let e = fails("()", 0, "empty parentheses");
    assert!(e.hint.is_some());
    fails("a (  ) b", 2, "empty parentheses");
    fails("tag:()", 4, "empty parentheses");
}

#[test]
fn operators_without_operands() {
    let e = fails("cluster AND", 8, "nothing after `AND`");
    assert!(e.hint.unwrap().contains("cluster AND munitions"));
    fails("cluster OR", 8, "nothing after `OR`");
    fails("cluster NOT", 8, "nothing after `NOT`");
    fails("(a AND) b", 3, "nothing after `AND` before `)`");
    fails("(a NOT)", 3, "nothing after `NOT` before `)`");
    fails("(-)", 1, "nothing after `-` before `)`");
    fails("a -", 2, "`-` must be directly followed by what to exclude");
    fails("a - b", 2, "`-` must be directly followed");
    fails("+ a", 0, "`+` must be directly followed by what to require");
    let e = fails("OR cluster", 0, "`OR` at the start of the query");
    assert!(e.hint.unwrap().contains("mines OR munitions"));
    fails("  AND a", 2, "`AND` at the start of the query");
    fails("a (OR b)", 3, "`OR` right after `(`");
    fails("a AND OR b", 6, "`OR` right after `AND`");
    fails("a OR AND b", 5, "`AND` right after `OR`");
    fails("a OR OR b", 5, "`OR` right after `OR`");
    fails("a NOT OR b", 6, "`OR` right after `NOT`");
    fails("a NOT NOT b", 6, "`NOT` right after `NOT`");
    fails("a --b", 3, "`-` right after `-`");
    fails("+-b", 1, "`-` right after `+`");
    fails("-NOT b", 1, "`NOT` right after `-`");
    fails("a AND", 2, "nothing after `AND`");
    let e = fails("a && b", 2, "`&&` is not an operator");
    assert_eq!(e.hint.as_deref(), Some("write AND (in capitals)"));
    fails("a || b", 2, "`||` is not an operator");
}

#[test]
fn bad_phrases() {
    fails("\"\"", 0, "the quotes are empty");
    fails("a \"   \" b", 2, "the quotes are empty");
    fails("\"a b\"~x", 6, "must be a whole number");
    fails("\"a b\"~5x", 7, "must be a whole number");
    fails("\"a b\"~-1", 6, "must be a whole number");
    fails("\"a b\"~1.5", 7, "must be a whole number");
    fails("\"a b\"~", 5, "`~` after a phrase needs a number");
    fails("\"a b\"~ c", 5, "`~` after a phrase needs a number");
    fails("\"a b\"~4294967296", 6, "is too large");
    fails("\"cluster munit*\"", 14, "`*` does not work inside quotes");
}

#[test]
fn bad_created() {
    fails("created:2008-13", 13, "there is no month 13");
    let e = fails("created:2008-02-30", 16, "February 2008 has no day 30");
    assert_eq!(e.hint.as_deref(), Some("February 2008 has 29 days"));
    fails("a created:2009..2008", 16, "ends before it starts");
    fails("created:2008-06..2008-05", 17, "ends before it starts");
    fails("created:..", 8, "needs at least one date");
    fails("created:yesterday", 8, "`yesterday` is not a date");
    fails("created:08", 8, "not a date");
    fails("created:2008-1-1-1", 8, "not a date");
    fails("created:2008..2009-00", 19, "there is no month 0");
    fails("created:1066", 8, "the year 1066 is out of range");
    fails("created:", 0, "`created:` needs something to search for");
    fails("created:(2008)", 8, "takes a date or a range");
    fails("created:\"2008\"", 8, "takes a date or a range");
    fails("created:2008*", 8, "not a date");
}

#[test]
fn unknown_fields() {
    let e = fails("tags:PREL", 0, "unknown field `tags:`");
    let hint = e.hint.unwrap();
    assert!(hint.starts_with("did you mean `tag:`? The fields are: id, tag, origin, from, to,"), "{hint}");
    assert!(hint.ends_with("put it in quotes: \"tags:PREL\""), "{hint}");
    let e = fails("cluster author:rice", 8, "unknown field `author:`");
    assert!(e.hint.unwrap().starts_with("did you mean `signer:`?"));
    let e = fails("Date:2008", 0, "unknown field `Date:`");
    assert!(e.hint.unwrap().starts_with("did you mean `created:`?"));
    let e = fails("xyzzy:plugh", 0, "unknown field `xyzzy:`");
    assert!(e.hint.unwrap().starts_with("The fields are:"));
    fails("(a OR re:b)", 6, "unknown field `re:`");
    fails("foo:", 0, "unknown field `foo:`");
}

#[test]
fn fields_without_values() {
    let e = fails("tag:", 0, "`tag:` needs something to search for");
    assert_eq!(e.hint.as_deref(), Some("for example tag:PREL"));
    let e = fails("cluster tag: PREL", 8, "`tag:` needs something to search for");
    assert_eq!(e.hint.as_deref(), Some("remove the space after the colon: tag:PREL"));
    fails("(subject:)", 1, "`subject:` needs something");
    let e = fails("tag:-PREL", 4, "`-` goes before the field");
    assert_eq!(e.hint.as_deref(), Some("write -tag:PREL"));
    fails("tag:+PREL", 4, "`+` goes before the field");
    // `created:` after a field, and fields inside a field's group.
    let e = fails("subject:(mines tag:PARM)", 15, "`tag:` cannot be used inside `subject:(…)`");
    assert!(e.hint.unwrap().contains("out of the parentheses"));
    fails("subject:(a (created:2008))", 12, "`created:` cannot be used inside `subject:(…)`");
}

#[test]
fn misplaced_stars() {
    let e = fails("mu*it", 2, "`*` can only be at the end of a word");
    assert_eq!(e.hint.as_deref(), Some("`*` finds words starting with what is before it: mu*"));
    fails("*munit", 0, "`*` can only be at the end of a word");
    fails("munit**", 5, "`*` can only be at the end of a word");
    fails("a m*", 2, "a prefix needs at least 2 characters");
    let e = fails("cluster *", 8, "`*` on its own");
    assert!(e.hint.unwrap().contains("munit*"));
    fails("tag:*", 4, "`*` on its own");
    fails("tag:P*L", 5, "`*` can only be at the end");
    fails("é*", 0, "at least 2 characters");
}

#[test]
fn fuzzy_words_and_their_limits() {
    let fuzzy = |field, text: &str, edits| Query::Fuzzy { field, text: text.into(), edits };
    assert_eq!(parsed("Qadhafi~"), fuzzy(None, "Qadhafi", 1));
    assert_eq!(parsed("Qadhafi~1"), fuzzy(None, "Qadhafi", 1));
    assert_eq!(parsed("subject:Qadhafi~2"), fuzzy(Some(Field::Subject), "Qadhafi", 2));
    assert_eq!(parsed("Qadhafi~").to_string(), "Qadhafi~1");
    let e = fails("mine~3", 4, "at most 2 edits");
    assert!(e.hint.unwrap().contains("mine~2"));
    fails("a mine~12", 6, "at most 2 edits");
    fails("mine~0", 4, "allows no difference");
    fails("ab~", 0, "at least 3 letters");
    let e = fails("=mine~", 0, "contradict");
    assert!(e.hint.unwrap().contains("=mine or mine~1"));
    // a phrase's `~` is still its proximity
    assert_eq!(
        parsed("\"cluster munitions\"~5"),
        Query::Phrase { field: None, words: vec!["cluster".into(), "munitions".into()], slop: 5 }
    );
}

#[test]
fn exact_forms() {
    assert_eq!(parsed("=munition"), Query::Exact { field: None, text: "munition".into() });
    assert_eq!(parsed("body:=munition"), Query::Exact { field: Some(Field::Body), text: "munition".into() });
    assert_eq!(parsed("=munition cluster").to_string(), "=munition cluster");
    let e = fails("= munition", 0, "directly followed by one word");
    assert!(e.hint.unwrap().contains("=munition"));
    let e = fails("=\"cluster munitions\"", 0, "directly followed by one word");
    assert!(e.hint.unwrap().contains("does not apply to a phrase"));
    // a word that starts with `=` inside quotes is text
    assert_eq!(parsed("\"=x\""), word("=x"));
    assert_eq!(word("=x").to_string(), "\"=x\"");
}

#[test]
fn limits() {
    let longest = "a ".repeat(MAX_QUERY_CHARS / 2);
    assert_eq!(longest.chars().count(), MAX_QUERY_CHARS);
    assert!(parse(&longest).is_ok());
    let e = fails(&format!("{longest}b"), MAX_QUERY_CHARS, "the query is too long: 1001 characters");
    assert!(e.query.chars().count() <= MAX_QUERY_CHARS + 100);
    // Characters, not bytes.
    assert!(parse(&"é".repeat(MAX_QUERY_CHARS)).is_ok());
    fails(&"é".repeat(MAX_QUERY_CHARS + 1), MAX_QUERY_CHARS, "too long");
    // A huge query is cheap to reject.
    fails(&"(".repeat(10_000_000), MAX_QUERY_CHARS, "too long");

    let nested = |depth: usize, open: &str| format!("{}a{}", open.repeat(depth), ")".repeat(depth));
    assert_eq!(parsed(&nested(MAX_NESTING, "(")), word("a"));
    fails(&nested(MAX_NESTING + 1, "("), MAX_NESTING, "too many nested parentheses (the limit is 32)");
    fails(&nested(400, "("), MAX_NESTING, "too many nested parentheses");
    assert!(parse(&nested(MAX_NESTING, "-(")).is_ok());
    fails(&nested(MAX_NESTING + 1, "-("), 2 * MAX_NESTING + 1, "too many nested parentheses");
    fails(&nested(2, "tag:("), 5, "`tag:` cannot be used inside `tag:(…)`");
    fails(&"(".repeat(999), MAX_NESTING, "too many nested parentheses");
    fails(&"-".repeat(999), 1, "`-` right after `-`");
    fails(&"NOT ".repeat(249), 4, "`NOT` right after `NOT`");
}

#[test]
fn positions_are_char_columns() {
    fails("é \"ü", 2, "quote is never closed");
    fails("ünïcödé tags:x", 8, "unknown field");
    fails("北京 AND", 3, "nothing after `AND`");
    fails("\u{1F600}\u{1F600} mu*it", 5, "`*` can only be at the end");
    fails("Ω (", 2, "`(` is never closed");
    fails("ü created:2008-13", 15, "no month 13");
}

#[test]
fn error_display() {
    let e = error("cluster tags:PARM");
    assert_eq!(
        e.to_string(),
        "unknown field `tags:` (at column 9)\n  cluster tags:PARM\n          ^\nhint: did you mean `tag:`? The fields \
         are: id, tag, origin, from, to, class, caveat, subject, ref, signer, created, body, project, note, starred, label. To search for \
         the text itself, put it in quotes: \"tags:PARM\""
    );
    // Pointing past the end; no hint.
    let e = SyntaxError { message: "oops".into(), position: 3, hint: None, query: "abc".into() };
    assert_eq!(e.to_string(), "oops (at column 4)\n  abc\n     ^");
    // Control characters are shown as spaces, so the caret stays aligned.
    let e = error("a\tb\n(c");
    assert_eq!(e.to_string().lines().nth(1), Some("  a b (c"));
    assert_eq!(e.to_string().lines().nth(2), Some("      ^"));
    // A long query is cut around the position.
    let long = format!("{}tags:x {}", "word ".repeat(100), "more ".repeat(90));
    let e = error(&long);
    let shown = e.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], "unknown field `tags:` (at column 501)");
    assert!(lines[1].starts_with("  …") && lines[1].ends_with('…'), "{}", lines[1]);
    let caret = lines[2].chars().count() - 1;
    assert_eq!(lines[1].chars().skip(caret).take(5).collect::<String>(), "tags:");
    // Near the end of a long query, the excerpt shows more before the caret.
    let e = error(&format!("{}AND", "word ".repeat(100)));
    let shown = e.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[1].chars().count(), 2 + 1 + 2 * 36);
    assert!(lines[1].starts_with("  …") && lines[1].ends_with(" AND"), "{}", lines[1]);
    assert_eq!(lines[2].chars().count(), lines[1].chars().count() - 2);
    // The error type works with `?` and `Box<dyn Error>`.
    let boxed: Box<dyn std::error::Error> = Box::new(error("("));
    assert!(boxed.to_string().starts_with("this `(` is never closed (at column 1)"));
}

// ---- Printing ----------------------------------------------------------------

#[test]
fn display_writes_canonical_syntax() {
    let cases = [
        ("", ""),
        ("cluster   munitions", "cluster munitions"),
        ("a AND b", "a b"),
        ("+a -b NOT c", "a -b -c"),
        ("a OR b c", "a OR b c"),
        ("(a OR b) c", "(a OR b) c"),
        ("-(a OR b)", "-(a OR b)"),
        ("-(a b)", "-(a b)"),
        ("-(-a)", "-(-a)"),
        ("NOT a", "-a"),
        ("a OR NOT b", "a OR -b"),
        ("\"cluster  munitions\"~5", "\"cluster munitions\"~5"),
        ("\"a b\"~0", "\"a b\""),
        ("munit*", "munit*"),
        ("subject:(cluster OR mine)", "subject:cluster OR subject:mine"),
        ("tag:PREL", "tag:PREL"),
        ("TAG:AND", "tag:AND"),
        ("\"AND\"", "\"AND\""),
        ("\"tag:x\"", "\"tag:x\""),
        ("\"12:30\"", "12:30"),
        ("\"-x\"", "\"-x\""),
        ("\"+x\" \"x~\" \"x~1\" \"&&\"", "\"+x\" \"x~\" \"x~1\" \"&&\""),
        ("tag:\"-x\"", "tag:\"-x\""),
        ("created:2008", "created:2008"),
        ("created:2008-01..2009-06", "created:2008..2009-06"),
        ("created:2008-03-01..2008-03-31", "created:2008-03"),
        ("created:..2008-06", "created:..2008-06"),
        ("-created:2008..", "-created:2008.."),
    ];
    for (query, printed) in cases {
        let parsed = parsed(query);
        assert_eq!(parsed.to_string(), printed, "{query:?}");
        assert_eq!(parse(printed), Ok(parsed), "{printed:?}");
    }
}

#[test]
fn display_of_queries_parse_does_not_make() {
    // They print something, without panicking.
    assert_eq!(and(vec![]).to_string(), "()");
    assert_eq!(
        Query::Boolean { must: vec![word("a")], should: vec![word("b"), word("c")], must_not: vec![] }
            .to_string(),
        "a (b OR c)"
    );
    assert_eq!(or(vec![or(vec![word("a"), word("b")]), word("c")]).to_string(), "(a OR b) OR c");
    assert_eq!(word("").to_string(), "\"\"");
    assert_eq!(created(None, Some((1900, 1, 1))).to_string(), "created:..2199");
}

// ---- Properties --------------------------------------------------------------

/// Fragments that exercise the syntax, joined at random.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("Bé".to_owned()),
        Just("and".to_owned()),
        Just("AND".to_owned()),
        Just("OR".to_owned()),
        Just("NOT".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("\"".to_owned()),
        Just("-".to_owned()),
        Just("+".to_owned()),
        Just("*".to_owned()),
        Just("~".to_owned()),
        Just("~3".to_owned()),
        Just(":".to_owned()),
        Just("..".to_owned()),
        Just("tag:".to_owned()),
        Just("subject:".to_owned()),
        Just("created:".to_owned()),
        Just("2008".to_owned()),
        Just("-12".to_owned()),
        Just("12:30".to_owned()),
        Just("munit*".to_owned()),
        Just("\"x y\"".to_owned()),
        Just("\"z\"".to_owned()),
        Just("http://x".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        "[a-z]{1,4}",
        any::<char>().prop_map(String::from),
    ]
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|fragments| fragments.concat())
}

/// Mostly well-formed queries, so the round trip is tested on many ASTs.
fn well_formed() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-zA-Z][a-zA-Z0-9.-]{0,5}".prop_filter("keyword", |w| !matches!(w.as_str(), "AND" | "OR" | "NOT")),
        "[0-9]{1,2}:[0-9]{2}",
        "[a-z]{2,4}\\*",
        "\"[a-z]{1,3}( [a-z]{1,3}){0,3}\"(~[0-9])?",
        "(tag|subject|body|id|Signer):[A-Z]{1,4}",
        "(tag|subject):\"[a-z]{1,3} [a-z]{1,3}\"",
        "created:(19[0-9]{2}|20[0-9]{2})(-(0[1-9]|1[0-2]))?",
        "created:\\.\\.20[0-9]{2}",
        "created:20[0-9]{2}\\.\\.",
        Just("\"AND\"".to_owned()),
        Just("\"a:b\"".to_owned()),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|q| q.join(" ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|q| q.join(" AND ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|q| q.join(" OR ")),
            inner.clone().prop_map(|q| format!("({q})")),
            inner.clone().prop_map(|q| format!("-({q})")),
            inner.clone().prop_map(|q| format!("NOT ({q})")),
            inner.clone().prop_map(|q| format!("+({q})")),
            "[a-z]{1,4}".prop_map(|w| format!("-{w}")),
            inner.prop_map(|q| format!("subject:({q})")),
        ]
    })
}

/// Checks what must hold for any input.
fn check(input: &str) -> Result<(), TestCaseError> {
    match parse(input) {
        Ok(query) => {
            let printed = query.to_string();
            prop_assert_eq!(parse(&printed), Ok(query.clone()), "printed as {:?}", printed);
            // Printing is canonical: a second round changes nothing.
            prop_assert_eq!(parsed(&printed).to_string(), printed);
        }
        Err(error) => {
            prop_assert!(error.position <= input.chars().count());
            prop_assert!(!error.message.is_empty());
            let shown = error.to_string();
            prop_assert!(shown.lines().count() >= 3);
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        check(&input)?;
    }

    #[test]
    fn syntax_soup_never_panics(input in soup()) {
        check(&input)?;
    }

    #[test]
    fn well_formed_queries_parse_and_round_trip(input in well_formed()) {
        // Fields nested by the generator are rejected; everything else parses.
        match parse(&input) {
            Ok(_) => check(&input)?,
            Err(error) => prop_assert!(
                error.message.contains("cannot be used inside")
                    || error.message.contains("too many nested")
                    || error.message.contains("out of range"),
                "{}", error
            ),
        }
    }
}

#[test]
fn newsroom_fields_print_and_reparse_to_themselves() {
    for (text, field, value) in [
        ("project:12", PrivateField::Project, "12"),
        ("NOTE:\"asked to  remove\"", PrivateField::Note, "asked to remove"),
        ("starred:me", PrivateField::Starred, "me"),
        ("label:a:b", PrivateField::Label, "a:b"),
        ("label:-x", PrivateField::Label, "-x"),
        ("label:ab*", PrivateField::Label, "ab*"),
        ("label:x~2", PrivateField::Label, "x~2"),
        ("label:=x", PrivateField::Label, "=x"),
        ("label:AND", PrivateField::Label, "AND"),
        ("note:\"OR\"", PrivateField::Note, "OR"),
    ] {
        let q = parsed(text);
        assert_eq!(q, Query::Private { field, value: value.into() }, "{text}");
        assert_eq!(parsed(&q.to_string()), q, "{text} printed as {q}");
    }
    let q = parsed("munitions -starred:me OR label:x");
    assert_eq!(parsed(&q.to_string()), q);
    for bad in ["project:(1 OR 2)", "note:\"a b\"~2", "subject:(note:x)", "project:"] {
        assert!(super::parse(bad).is_err(), "{bad}");
    }
}
