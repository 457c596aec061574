//! Detection by field name: which rule a key path falls under, and its category.
//!
//! A path is one run of words (see [`name_tokens`]): the parents' words, then
//! the key's ([`child_words`]). The longest matching term wins; a neutral
//! entry wins a tie. The category is then set by the nearest context before
//! the term that applies to the rule's kind (`customer.contact_person.phone`
//! is 3). This is `pii_tagger.fieldnames`, term for term.

use std::collections::HashMap;

use crate::rules::{ContextRule, FieldRule, NamesRule, NeutralRule, ValueRule};
use crate::scan::FieldCue;
use crate::text::name_tokens;

/// How many words of a path are kept: the last ones, the key's own among them.
pub const MAX_CONTEXT_WORDS: usize = 24;

/// The run of words for `key` under a parent whose run is `parent`, and
/// where the key's own words start in it.
///
/// The run is the parent's words then the key's, cut to the last
/// [`MAX_CONTEXT_WORDS`]; if the key alone has more, it starts at 0.
pub fn child_words(parent: &[String], key: &str) -> (Vec<String>, usize) {
    let own = name_tokens(key);
    let skip = (parent.len() + own.len()).saturating_sub(MAX_CONTEXT_WORDS);
    let kept_parent = &parent[skip.min(parent.len())..];
    let kept_own = &own[skip.saturating_sub(parent.len())..];
    let mut words = Vec::with_capacity(kept_parent.len() + kept_own.len());
    words.extend_from_slice(kept_parent);
    words.extend_from_slice(kept_own);
    let key_start = words.len().saturating_sub(own.len());
    (words, key_start)
}

/// The field rule a path falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMatch {
    /// Index of the rule in the `fields` that [`FieldNames::new`] was given.
    pub rule: usize,
    /// The rule's category, or the one a context before the term set.
    pub category: u8,
}

/// A word as a number: the words of all terms are numbered when the rules
/// are compiled, and a path word that no term has cannot match anything.
type WordId = u32;

/// A word of a path that is in no term.
const UNKNOWN: WordId = WordId::MAX;

/// One term of a field rule or of a neutral entry.
#[derive(Debug, Clone)]
struct Term {
    words: Box<[WordId]>,
    /// Index into the field rules; `None` for a neutral entry.
    rule: Option<usize>,
}

/// One term of a context.
#[derive(Debug, Clone)]
struct ContextTerm {
    words: Box<[WordId]>,
    category: u8,
    /// The kinds (numbered like the rules' kinds) the context applies to.
    applies_to: Box<[u32]>,
}

/// A phrase of a rule's `events`: its words and the rule.
type EventPhrase = (Box<[WordId]>, usize);

/// A value rule's field term: its words and what it tells the rule.
type FieldTerm = (Box<[WordId]>, FieldCue);

/// What matching needs of a field rule.
#[derive(Debug, Clone, Copy)]
struct RuleInfo {
    kind: u32,
    category: u8,
}

/// The field-name rules, indexed by the word a term ends (or starts) with.
#[derive(Debug, Clone, Default)]
pub struct FieldNames {
    vocabulary: HashMap<Box<str>, WordId>,
    terms: Vec<Term>,
    /// "suffix" terms by their last word (indexes into `terms`, in rule order).
    suffix: HashMap<WordId, Vec<usize>>,
    /// "any" terms by their first word.
    any: HashMap<WordId, Vec<usize>>,
    /// "path" terms by all their words; a later entry replaces an earlier one.
    path: HashMap<Box<[WordId]>, usize>,
    /// "record" terms by all their words (the key's own), with their rule.
    record: HashMap<Box<[WordId]>, usize>,
    /// Each "record" rule's parent words.
    record_parents: HashMap<usize, Vec<WordId>>,
    /// `events` phrases by their first word.
    events: HashMap<WordId, Vec<EventPhrase>>,
    /// The longest word of each `events` phrase, as written and folded, in
    /// any case: a text with none of them names no event (a quick test).
    event_words: Option<aho_corasick::AhoCorasick>,
    contexts: Vec<ContextTerm>,
    /// Context terms by their last word (indexes into `contexts`).
    contexts_by_end: HashMap<WordId, Vec<usize>>,
    rules: Vec<RuleInfo>,
    /// Value rules' `context_fields` and `deny_fields` terms by their last
    /// word: the term's words and what it tells the rule.
    value_fields: HashMap<WordId, Vec<FieldTerm>>,
}

/// How a term is matched against a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// The term ends the path.
    Suffix,
    /// The term stands anywhere in the key's own words.
    Any,
    /// The term is the whole path.
    Path,
    /// The term is the key's own words, and counts in a person's record.
    Record,
}

impl Placement {
    /// As the Python loader reads `match`: anything but "suffix", "any" or
    /// "record" is "path" (the loader accepts no other value).
    fn of(matches: &str) -> Placement {
        match matches {
            "suffix" => Placement::Suffix,
            "any" => Placement::Any,
            "record" => Placement::Record,
            _ => Placement::Path,
        }
    }
}

impl FieldNames {
    /// Compiles the field rules, contexts and neutral entries.
    ///
    /// Terms are split into words with [`name_tokens`]; a term with no words
    /// (which the Python loader rejects) is left out.
    pub fn new(fields: &[FieldRule], contexts: &[ContextRule], neutrals: &[NeutralRule]) -> FieldNames {
        let mut names = FieldNames::default();
        let mut kinds: HashMap<&str, u32> = HashMap::new();
        for (index, field) in fields.iter().enumerate() {
            names.rules.push(RuleInfo {
                kind: kind_id(&mut kinds, &field.kind),
                category: field.category,
            });
            for phrase in &field.events {
                let words = names.intern(phrase);
                if let Some(&first) = words.first() {
                    names.events.entry(first).or_default().push((words, index));
                }
            }
            let placement = Placement::of(&field.matches);
            if placement == Placement::Record {
                for term in &field.terms {
                    let words = names.intern(term);
                    names.record.insert(words, index);
                }
                let parents = field.parents.iter().flat_map(|p| names.intern(p).into_vec()).collect();
                names.record_parents.insert(index, parents);
                continue;
            }
            for term in &field.terms {
                names.add_term(term, Some(index), placement);
            }
        }
        let mut event_words: Vec<String> = Vec::new();
        for phrase in fields.iter().flat_map(|f| &f.events) {
            let longest = phrase.split(|c: char| !c.is_alphanumeric()).max_by_key(|w| w.chars().count()).unwrap_or("");
            for form in [longest.to_lowercase(), crate::text::fold(longest).into_owned()] {
                if !form.is_empty() && !event_words.contains(&form) {
                    event_words.push(form);
                }
            }
        }
        if !event_words.is_empty() {
            names.event_words = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&event_words)
                .ok();
        }
        for neutral in neutrals {
            for term in &neutral.terms {
                names.add_term(term, None, Placement::of(&neutral.matches));
            }
        }
        for context in contexts {
            let applies_to: Box<[u32]> = context
                .applies_to
                .iter()
                .map(|kind| kind_id(&mut kinds, kind))
                .collect();
            for term in &context.terms {
                let words = names.intern(term);
                let Some(&last) = words.last() else { continue };
                names
                    .contexts_by_end
                    .entry(last)
                    .or_default()
                    .push(names.contexts.len());
                names.contexts.push(ContextTerm {
                    words,
                    category: context.category,
                    applies_to: applies_to.clone(),
                });
            }
        }
        names
    }

    /// Adds the value rules' field terms (`context_fields`, `deny_fields`)
    /// and the name lexicons' (`context_fields`), numbered as the scanner
    /// numbers them: the value rules, then the lexicons.
    pub fn add_value_fields(&mut self, values: &[ValueRule], names: &[NamesRule]) {
        let value_terms = values.iter().map(|v| (&v.context_fields, &v.deny_fields));
        let empty = Vec::new();
        let name_terms = names.iter().map(|n| (&n.context_fields, &empty));
        for (rule, (context, deny)) in value_terms.chain(name_terms).enumerate() {
            let terms = context.iter().map(|t| (t, false)).chain(deny.iter().map(|t| (t, true)));
            for (term, deny) in terms {
                let words = self.intern(term);
                let Some(&last) = words.last() else { continue };
                self.value_fields.entry(last).or_default().push((words, FieldCue { rule, deny }));
            }
        }
    }

    /// What the key path `path` (a run of words as [`child_words`] gives it)
    /// tells the value rules: each rule with a field term that ends the path,
    /// once, a deny before a context. Empty for most keys.
    pub fn value_cues<S: AsRef<str>>(&self, path: &[S]) -> Vec<FieldCue> {
        if self.value_fields.is_empty() {
            return Vec::new();
        }
        let Some(last) = path.last().map(|w| self.word_id(w.as_ref())) else { return Vec::new() };
        let Some(terms) = self.value_fields.get(&last) else { return Vec::new() };
        let ids: Vec<WordId> = path.iter().map(|word| self.word_id(word.as_ref())).collect();
        let mut cues: Vec<FieldCue> = Vec::new();
        for (words, cue) in terms {
            if ids.ends_with(words) && !cues.iter().any(|c| c.rule == cue.rule && (c.deny || !cue.deny)) {
                cues.retain(|c| c.rule != cue.rule);
                cues.push(*cue);
            }
        }
        cues
    }

    /// The rule for the last key of `path` (a run of words as [`child_words`]
    /// gives it), whose own words start at `key_start`; `None` when no rule
    /// matches or a neutral entry wins.
    pub fn match_path<S: AsRef<str>>(&self, path: &[S], key_start: usize) -> Option<FieldMatch> {
        let ids: Vec<WordId> = path.iter().map(|word| self.word_id(word.as_ref())).collect();
        let (start, term) = self.best_term(&ids, key_start)?;
        let rule = term.rule?;
        Some(FieldMatch {
            rule,
            category: self.category(rule, &ids, start),
        })
    }

    fn add_term(&mut self, term: &str, rule: Option<usize>, placement: Placement) {
        let words = self.intern(term);
        let (Some(&first), Some(&last)) = (words.first(), words.last()) else {
            return;
        };
        let index = self.terms.len();
        match placement {
            Placement::Suffix => self.suffix.entry(last).or_default().push(index),
            Placement::Any => self.any.entry(first).or_default().push(index),
            Placement::Path | Placement::Record => {
                self.path.insert(words.clone(), index);
            }
        }
        self.terms.push(Term { words, rule });
    }

    /// The words of a term, numbered (new words get new numbers).
    fn intern(&mut self, term: &str) -> Box<[WordId]> {
        name_tokens(term)
            .into_iter()
            .map(|word| {
                let next = WordId::try_from(self.vocabulary.len()).expect("fewer than 2^32 words");
                *self.vocabulary.entry(word.into_boxed_str()).or_insert(next)
            })
            .collect()
    }

    /// The number of a path word; a plural that no term has is read as its
    /// singular when a term has that (`customers` as `customer`, `phones`,
    /// `addresses`, `companies`, `people`; Latvian `klienti` as `klients`).
    fn word_id(&self, word: &str) -> WordId {
        if let Some(&id) = self.vocabulary.get(word) {
            return id;
        }
        singulars(word).find_map(|w| self.vocabulary.get(w.as_str()).copied()).unwrap_or(UNKNOWN)
    }

    /// Whether `text` may hold an `events` phrase (it holds the longest word of one).
    pub fn may_name_event(&self, text: &str) -> bool {
        self.event_words.as_ref().is_some_and(|ac| ac.is_match(text))
    }

    /// The rules whose `events` phrases stand in an event's own name (its
    /// words, as [`name_tokens`] gives them), each once, with its category.
    pub fn event_rules<S: AsRef<str>>(&self, words: &[S]) -> Vec<FieldMatch> {
        let ids: Vec<WordId> = words.iter().map(|w| self.word_id(w.as_ref())).collect();
        let mut out: Vec<FieldMatch> = Vec::new();
        for start in 0..ids.len() {
            for (phrase, rule) in self.events.get(&ids[start]).into_iter().flatten() {
                if ids[start..].starts_with(phrase) && !out.iter().any(|m| m.rule == *rule) {
                    out.push(FieldMatch { rule: *rule, category: self.rules[*rule].category });
                }
            }
        }
        out
    }

    /// The "record" rule for the key's own words (`name`, `first`, `owner`):
    /// the rule applies in a mapping that holds a person's data. `person`:
    /// a parent word names a person (`customers[].name`), so it applies
    /// whatever the mapping holds.
    pub fn record_match<S: AsRef<str>>(&self, path: &[S], key_start: usize) -> Option<(FieldMatch, bool)> {
        let ids: Vec<WordId> = path.iter().map(|word| self.word_id(word.as_ref())).collect();
        let &rule = self.record.get(ids.get(key_start..)?)?;
        // A neutral entry for the whole path ("service.name") says it is no person's.
        if self.best_term(&ids, key_start).is_some_and(|(_, term)| term.rule.is_none()) {
            return None;
        }
        let parents = self.record_parents.get(&rule).map_or(&[][..], Vec::as_slice);
        let person = ids[..key_start].iter().any(|id| parents.contains(id));
        Some((FieldMatch { rule, category: self.category(rule, &ids, key_start) }, person))
    }

    /// The winning term and where it starts: the candidates are the path
    /// term, then the suffix terms, then the "any" terms by where they start,
    /// each list in rule order; a later one only wins by being better.
    fn best_term(&self, path: &[WordId], key_start: usize) -> Option<(usize, &Term)> {
        let &last = path.last()?;
        let mut best: Option<(usize, &Term)> = None;
        let mut offer = |start: usize, index: usize| {
            let term = &self.terms[index];
            if best.is_none_or(|(_, held)| better(term, held)) {
                best = Some((start, term));
            }
        };
        if let Some(&index) = self.path.get(path) {
            offer(0, index);
        }
        for &index in self.suffix.get(&last).into_iter().flatten() {
            let words = &self.terms[index].words;
            if path.ends_with(words) {
                offer(path.len() - words.len(), index);
            }
        }
        for start in key_start..path.len() {
            for &index in self.any.get(&path[start]).into_iter().flatten() {
                if path[start..].starts_with(&self.terms[index].words) {
                    offer(start, index);
                }
            }
        }
        best
    }

    /// The category of `rule` matched at `term_start`: that of the nearest
    /// context ending before the term that applies to the rule's kind, else
    /// the rule's own.
    fn category(&self, rule: usize, path: &[WordId], term_start: usize) -> u8 {
        let info = self.rules[rule];
        for end in (0..term_start).rev() {
            let before = &path[..=end];
            for &index in self.contexts_by_end.get(&path[end]).into_iter().flatten() {
                let context = &self.contexts[index];
                if before.ends_with(&context.words) && context.applies_to.contains(&info.kind) {
                    return context.category;
                }
            }
        }
        info.category
    }
}

/// The singular forms a plural path word may stand for, most likely first.
fn singulars(word: &str) -> impl Iterator<Item = String> + '_ {
    let irregular = match word {
        "people" | "persons" => Some("person"),
        "children" => Some("child"),
        _ => None,
    };
    let cut = |suffix: &'static str, with: &'static str| {
        word.strip_suffix(suffix).filter(|stem| stem.len() >= 3).map(|stem| format!("{stem}{with}"))
    };
    irregular
        .map(String::from)
        .into_iter()
        .chain(cut("ies", "y"))
        .chain(cut("es", ""))
        .chain(cut("s", ""))
        // Latvian: klienti -> klients, lietotāji -> lietotājs, personas -> persona.
        .chain(cut("i", "s"))
        .chain(cut("i", "is"))
        .chain(cut("as", "a"))
}

/// The number of `kind`, numbering it if it is new.
fn kind_id<'a>(kinds: &mut HashMap<&'a str, u32>, kind: &'a str) -> u32 {
    let next = u32::try_from(kinds.len()).expect("fewer than 2^32 kinds");
    *kinds.entry(kind).or_insert(next)
}

/// Whether `term` beats the `held` one: more words, or as many and neutral
/// against a rule's.
fn better(term: &Term, held: &Term) -> bool {
    if term.words.len() != held.words.len() {
        return term.words.len() > held.words.len();
    }
    term.rule.is_none() && held.rule.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// A rule id and category, as Python prints them; `None`: no rule.
    type Expected = Option<(&'static str, u8)>;

    fn shipped() -> (RuleSet, FieldNames) {
        let rules = RuleSet::shipped().unwrap();
        let names = FieldNames::new(&rules.fields, &rules.contexts, &rules.neutrals);
        (rules, names)
    }

    /// The rule id and category for nested keys, walked as the engine walks them.
    fn lookup(rules: &RuleSet, names: &FieldNames, keys: &[&str]) -> Option<(String, u8)> {
        let mut words = Vec::new();
        let mut found = None;
        for key in keys {
            let (run, key_start) = child_words(&words, key);
            found = if run.is_empty() {
                None
            } else {
                names.match_path(&run, key_start)
            };
            words = run;
        }
        found.map(|m| (rules.fields[m.rule].id.clone(), m.category))
    }

    #[test]
    fn child_words_keeps_the_last_words() {
        let parent: Vec<String> = ["customer", "contact", "person"].map(String::from).to_vec();
        assert_eq!(
            child_words(&parent, "phoneNumber"),
            (
                ["customer", "contact", "person", "phone", "number"]
                    .map(String::from)
                    .to_vec(),
                3
            )
        );
        assert_eq!(child_words(&parent, "___"), (parent.clone(), 3));
        assert_eq!(child_words(&[], "name"), (vec!["name".to_string()], 0));

        // Words of letters only: a digit would start a new word.
        let word = |prefix: char, i: u8| format!("{prefix}{}{}", char::from(b'a' + i / 26), char::from(b'a' + i % 26));
        let long: Vec<String> = (0..24).map(|i| word('w', i)).collect();
        let (words, start) = child_words(&long, "user_email");
        assert_eq!(words.len(), MAX_CONTEXT_WORDS);
        assert_eq!(
            (words[0].as_str(), &words[22..]),
            ("wac", &["user".to_string(), "email".to_string()][..])
        );
        assert_eq!(start, 22);

        let key = (0..30).map(|i| word('k', i)).collect::<Vec<_>>().join("_");
        let (words, start) = child_words(&long, &key);
        assert_eq!((words.len(), words[0].as_str(), start), (MAX_CONTEXT_WORDS, "kag", 0));
    }

    #[test]
    fn shipped_rules_match_like_python() {
        // Expected values printed by pii_tagger.fieldnames.FieldNames over
        // load_rules(), the keys nested as the engine walks them.
        let cases: &[(&[&str], Expected)] = &[
            (&["customer", "phone"], Some(("phone", 2))),
            (&["contact_person", "email"], Some(("email", 3))),
            (&["supplier", "bank_account"], Some(("bank_account", 6))),
            (&["user", "email"], Some(("email", 5))),
            (&["server", "address"], None),
            (&["service", "name"], None),
            (&["name"], None),
            (&["user", "name"], Some(("username", 16))),
            (&["password_hash"], Some(("secret", 16))),
            (&["new_password"], Some(("secret", 16))),
            (&["klienta", "tālrunis"], Some(("phone", 2))),
            (&["kontaktpersona", "e_pasts"], Some(("email", 3))),
            (&["http", "request", "header", "authorization"], Some(("token", 16))),
            (&["url", "full"], Some(("request_url", 12))),
            (&["client", "address"], Some(("ip_address", 12))),
            (&["enduser", "id"], Some(("user_id", 5))),
            (&["db", "statement"], None),
            (&["invoice", "iban"], Some(("bank_account", 11))),
            (&["payments", "card_number"], Some(("payment_card", 11))),
            (&["customer", "contact_person", "phone"], Some(("phone", 3))),
            (&["customer", "contactPerson", "phoneNumber"], Some(("phone", 3))),
            (&["contactPersonPhone"], Some(("phone", 3))),
            (&["CUSTOMER_PHONE_NUMBER"], Some(("phone", 2))),
            (&["klientaTālrunis"], Some(("phone", 2))),
            (&["KLIENTA_TALRUNIS"], Some(("phone", 2))),
            (&["contact_person", "supplier", "email"], Some(("email", 6))),
            (&["supplier", "contact_person", "email"], Some(("email", 3))),
            (&["vendor", "name"], None),
            (&["supplier", "first_name"], Some(("person_name", 6))),
            (&["user", "profile", "first_name"], Some(("person_name", 5))),
            (&["billing", "iban"], Some(("bank_account", 11))),
            (&["billing", "address"], Some(("postal_address", 2))),
            (&["user", "bank_account"], Some(("bank_account", 11))),
            (&["last_login"], Some(("portal_action", 14))),
            (&["lastLoginAt"], Some(("portal_action", 14))),
            (&["password_reset_token"], Some(("portal_action", 14))),
            (&["headers", "set-cookie"], Some(("token", 16))),
            (&["token_count"], None),
            (&["usage", "total_tokens"], None),
            (&["sum_total"], None),
            (&["checksum"], None),
            (&["source", "address"], Some(("ip_address", 12))),
            (&["X-Real-IP"], Some(("ip_address", 12))),
            (&["host", "name"], None),
            (&["k8s", "pod", "name"], None),
            (&["service_name"], None),
            (&["service_price"], Some(("service_data", 7))),
            (&["company_name"], None),
            (&["customer", "company_name"], None),
            (&["address_line_1"], Some(("postal_address", 2))),
            (&["addressLine1"], Some(("postal_address", 2))),
            (&["mac_address"], Some(("postal_address", 2))),
            (&["userID"], Some(("user_id", 5))),
            (&["ipV4Address"], Some(("postal_address", 2))),
            (&["personasKods"], Some(("personal_code", 1))),
            (&["dzimšanas_datums"], Some(("date_of_birth", 1))),
            (&["piegādātāja_adrese"], Some(("postal_address", 6))),
            (&["portāla_lietotājs", "e_pasts"], Some(("email", 5))),
            (&["lietotāja_vārds"], Some(("username", 16))),
            (&["endUser", "phone"], Some(("phone", 5))),
            (&["customer", "phone", "___"], Some(("phone", 2))),
            (&["___"], None),
            (&["a", "___"], None),
            (&["2fa_code"], None),
            (&["phone_2_3"], Some(("phone", 2))),
            (&["events[0]", "user", "email"], Some(("email", 5))),
            (&["resource", "attributes", "service", "name"], None),
            (&["request", "body", "passwordConfirm"], Some(("secret", 16))),
            (&["user", "password_changed_at"], Some(("portal_action", 14))),
            (&["paroles_maiņa"], Some(("portal_action", 14))),
            (&["http", "response", "status_code"], Some(("request_log", 12))),
            (&["user_agent", "original"], Some(("request_log", 12))),
            (&["invoice", "supplier", "first_name"], Some(("person_name", 6))),
            (&["billing", "supplier", "iban"], Some(("bank_account", 6))),
        ];
        let (rules, names) = shipped();
        for &(keys, expected) in cases {
            let expected = expected.map(|(id, category)| (id.to_string(), category));
            assert_eq!(lookup(&rules, &names, keys), expected, "{keys:?}");
        }
    }

    /// Rules that exercise each tie and context case, with what
    /// pii_tagger.fieldnames.FieldNames gives for the same rules.
    const SMALL_RULES: &str = r#"
        [[field]]
        id = "first"
        category = 2
        kind = "contact"
        terms = ["phone", "phone number"]

        [[field]]
        id = "second"
        category = 9
        kind = "contact"
        terms = ["phone"]

        [[field]]
        id = "secret"
        category = 16
        kind = "credential"
        match = "any"
        terms = ["secret", "api key"]

        [[field]]
        id = "top"
        category = 1
        kind = "identity"
        match = "path"
        terms = ["name"]

        [[field]]
        id = "account"
        category = 8
        kind = "bank"
        match = "path"
        terms = ["account"]

        [[field]]
        id = "address"
        category = 2
        kind = "contact"
        terms = ["address"]

        [[field]]
        id = "iban"
        category = 11
        kind = "bank"
        terms = ["iban"]

        [[context]]
        id = "person"
        category = 3
        applies_to = ["contact"]
        terms = ["contact person", "contact"]

        [[context]]
        id = "supplier"
        category = 6
        applies_to = ["contact", "bank"]
        terms = ["supplier"]

        [[context]]
        id = "billing"
        category = 4
        applies_to = ["bank"]
        terms = ["billing"]

        [[neutral]]
        id = "infra"
        terms = ["server address", "phone number"]

        [[neutral]]
        id = "top"
        match = "path"
        terms = ["name"]
    "#;

    #[test]
    fn ties_and_contexts_like_python() {
        let rules: RuleSet = toml::from_str(SMALL_RULES).unwrap();
        let names = FieldNames::new(&rules.fields, &rules.contexts, &rules.neutrals);
        let cases: &[(&[&str], usize, Expected)] = &[
            (&["phone"], 0, Some(("first", 2))), // the first of equal rules
            (&["mobile", "phone"], 1, Some(("first", 2))),
            (&["phone", "number"], 1, None), // neutral wins the tie
            (&["phone", "number"], 0, None),
            (&["secret", "data"], 1, None), // "any": in the key only
            (&["secret", "data"], 0, Some(("secret", 16))),
            (&["my", "api", "key", "id"], 1, Some(("secret", 16))),
            (&["my", "api", "key"], 3, None),
            (&["name"], 0, None), // a later path entry replaces
            (&["user", "name"], 1, None),
            (&["account"], 0, Some(("account", 8))),
            (&["x", "account"], 1, None),
            (&["billing", "account"], 1, None),
            (&["server", "address"], 1, None), // the longer neutral
            (&["home", "address"], 1, Some(("address", 2))),
            (&["contact", "phone"], 1, Some(("first", 3))),
            (&["contact", "phone"], 0, Some(("first", 3))), // a context inside the key
            (&["supplier", "contact", "phone"], 2, Some(("first", 3))), // the nearest context
            (&["contact", "supplier", "phone"], 2, Some(("first", 6))),
            (&["contact", "person", "phone"], 2, Some(("first", 3))),
            (&["billing", "contact", "iban"], 2, Some(("iban", 4))), // past one that does not apply
            (&["contact", "iban"], 1, Some(("iban", 11))),
            (&["contact", "phone", "secret"], 2, Some(("secret", 16))),
            (&["supplier", "x", "y", "address"], 3, Some(("address", 6))),
            (&["phone", "contact"], 1, None),
            (&["unknown", "phone"], 1, Some(("first", 2))),
            (&["unknown"], 0, None),
        ];
        for &(path, key_start, expected) in cases {
            let found = names
                .match_path(path, key_start)
                .map(|m| (rules.fields[m.rule].id.as_str(), m.category));
            assert_eq!(found, expected, "{path:?} from {key_start}");
        }
    }

    #[test]
    fn value_rules_field_terms_end_the_path() {
        let (rules, mut names) = shipped();
        names.add_value_fields(&rules.values, &rules.names);
        let rule = |id: &str| rules.values.iter().position(|v| v.id == id).unwrap();
        let cues = |keys: &[&str]| {
            let mut words = Vec::new();
            for key in keys {
                words = child_words(&words, key).0;
            }
            let mut cues = names.value_cues(&words);
            cues.sort_by_key(|c| c.rule);
            cues
        };
        let deny = |id| FieldCue { rule: rule(id), deny: true };
        let mut ips = vec![deny("ip_internal"), deny("ipv4")];
        ips.sort_by_key(|c| c.rule);
        for keys in [&["version"][..], &["app_version"], &["os", "version"], &["userAgent"], &["user_agent.original"], &["versions"]] {
            assert_eq!(cues(keys), ips, "{keys:?}");
        }
        let phone = vec![FieldCue { rule: rule("phone_lv_national"), deny: false }];
        for keys in [&["to"][..], &["sms", "from"], &["recipients"], &["replyTo"]] {
            assert_eq!(cues(keys), phone, "{keys:?}");
        }
        for keys in [&["version", "host"][..], &["build_log"], &["to", "name"], &["token"], &[]] {
            assert_eq!(cues(keys), vec![], "{keys:?}");
        }
    }

    #[test]
    fn empty_path_matches_nothing() {
        let (_, names) = shipped();
        assert_eq!(names.match_path::<&str>(&[], 0), None);
        assert_eq!(names.match_path(&["zzz"], 0), None);
    }
}
