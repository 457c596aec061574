//! The rules as data: what a rule file holds, typed.
//!
//! The Python package reads, merges (a user's file overrides a shipped rule by
//! its id) and checks the TOML files, then hands the merged tables here as
//! JSON; `cargo test` and `cargo bench` read the shipped files directly
//! ([`RuleSet::shipped`]). Either way the same structs are filled, so there is
//! one schema. Compiling them is the job of [`crate::names`] and [`crate::scan`].

use serde::Deserialize;

/// The shipped rule files, compiled into the library.
pub const SHIPPED_FILES: [(&str, &str); 4] = [
    ("categories.toml", include_str!("../../../patterns/categories.toml")),
    ("fields.toml", include_str!("../../../patterns/fields.toml")),
    ("values.toml", include_str!("../../../patterns/values.toml")),
    ("names.toml", include_str!("../../../patterns/names.toml")),
];

/// Everything the engine compiles: the catalogue and the rule kinds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    #[serde(default, rename = "category")]
    pub categories: Vec<Category>,
    #[serde(default, rename = "field")]
    pub fields: Vec<FieldRule>,
    #[serde(default, rename = "context")]
    pub contexts: Vec<ContextRule>,
    #[serde(default, rename = "neutral")]
    pub neutrals: Vec<NeutralRule>,
    #[serde(default, rename = "value")]
    pub values: Vec<ValueRule>,
    #[serde(default)]
    pub safe: Vec<SafeShape>,
    #[serde(default)]
    pub names: Vec<NamesRule>,
}

/// One of the 18 categories of the privacy policy.
#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    pub number: u8,
    #[serde(default)]
    pub name_lv: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub examples_lv: String,
    #[serde(default)]
    pub examples_en: String,
    pub default_action: String,
}

/// A field-name rule: keys whose values are personal data, whatever they look like.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldRule {
    pub id: String,
    pub category: u8,
    pub kind: String,
    /// Names as written in the file ("first name", "vārds"); split into words by `names`.
    pub terms: Vec<String>,
    /// "suffix" (default), "any", "path" or "record".
    #[serde(default = "suffix", rename = "match")]
    pub matches: String,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default = "full")]
    pub mask: String,
    #[serde(default = "text")]
    pub normalize: String,
    #[serde(default)]
    pub label: Option<String>,
    /// "url": the value is redacted part by part as a URL.
    #[serde(default)]
    pub format: Option<String>,
    /// For `match = "record"`: parent words (singular) that make the record a person's.
    #[serde(default)]
    pub parents: Vec<String>,
    /// For `match = "record"`: the rule also reads `key=value` pairs in text.
    #[serde(default)]
    pub in_text: bool,
    /// Words in an event's own name (`event: "password changed"`) that tag
    /// the event with this rule's category.
    #[serde(default)]
    pub events: Vec<String>,
    /// A whole number under the rule's keys is a count of such values
    /// (`logins: 5`), not one of them: kept.
    #[serde(default)]
    pub counts: bool,
}

/// A parent or leading word that sets the category of the field after it.
#[derive(Debug, Clone, Deserialize)]
pub struct ContextRule {
    pub id: String,
    pub category: u8,
    pub applies_to: Vec<String>,
    pub terms: Vec<String>,
}

/// Keys that a shorter term would claim but that hold no personal data.
#[derive(Debug, Clone, Deserialize)]
pub struct NeutralRule {
    pub id: String,
    pub terms: Vec<String>,
    #[serde(default = "suffix", rename = "match")]
    pub matches: String,
}

/// A value rule: personal data recognised by what it looks like.
#[derive(Debug, Clone, Deserialize)]
pub struct ValueRule {
    pub id: String,
    pub pattern: String,
    /// Accepted from rule files written for the earlier engine, and ignored:
    /// the search needs no hint of where matches start.
    #[serde(default)]
    pub starts: Option<String>,
    pub needs: Vec<String>,
    #[serde(default)]
    pub needs_all: Vec<String>,
    /// "value" (default), "skip", "url" or "key_value".
    #[serde(default = "value")]
    pub handler: String,
    /// A pattern ending in `$` that extends the match back over what precedes it.
    #[serde(default)]
    pub before: Option<String>,
    /// The inside of a character class: the character just before a finding may not be one of these.
    #[serde(default)]
    pub not_before: Option<String>,
    /// A pattern that may not match right after a finding.
    #[serde(default)]
    pub not_after: Option<String>,
    /// A pattern a finding may not begin with.
    #[serde(default)]
    pub not_start: Option<String>,
    /// "groups": a candidate that fails is tried again cut at each space or
    /// hyphen inside it, longest first ("4111 1111 1111 1111 12/27").
    #[serde(default)]
    pub shorter: Option<String>,
    #[serde(default)]
    pub category: Option<u8>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub validator: Option<String>,
    #[serde(default)]
    pub validator_in_context: Option<String>,
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default = "yes")]
    pub context_required: bool,
    #[serde(default)]
    pub deny_context: Vec<String>,
    #[serde(default = "forty")]
    pub context_window: usize,
    /// Field names (terms, matched at the end of a key's path as field rules'
    /// are) under which a value counts as having a context word before it:
    /// a bare number under `to` is a phone.
    #[serde(default)]
    pub context_fields: Vec<String>,
    /// Field names under which the rule does not apply: a four-part version
    /// under `version` is not an IP address.
    #[serde(default)]
    pub deny_fields: Vec<String>,
    #[serde(default)]
    pub min_digits: usize,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default = "full")]
    pub mask: String,
    #[serde(default = "text")]
    pub normalize: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub counterexamples: Vec<String>,
}

/// Person names in free text, by a lexicon (see `patterns/names.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct NamesRule {
    pub id: String,
    pub category: u8,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default = "full")]
    pub mask: String,
    #[serde(default = "text")]
    pub normalize: String,
    /// Where the lists come from (documentation).
    #[serde(default)]
    pub source: String,
    /// Given names; a run of capitalised words that starts with one and goes
    /// on with a surname is a name.
    #[serde(default)]
    pub given: Vec<String>,
    #[serde(default)]
    pub surnames: Vec<String>,
    /// Endings (folded) that make a capitalised word next to a given name a surname.
    #[serde(default)]
    pub surname_endings: Vec<String>,
    /// Words just before a name ("Mr", "Dr").
    #[serde(default)]
    pub titles: Vec<String>,
    /// Words just after a name ("kungs", "kundze").
    #[serde(default)]
    pub after_titles: Vec<String>,
    /// Words just before one to three capitalised words that make them a name.
    #[serde(default)]
    pub context: Vec<String>,
    /// Capitalised words never part of a name (places, months, log words).
    #[serde(default)]
    pub not_names: Vec<String>,
    /// Words after which a run of capitalised words is a company's name.
    #[serde(default)]
    pub company_markers: Vec<String>,
    /// Words just after a name that make it the name of a place or an
    /// institution named after a person ("Krišjāņa Barona iela").
    #[serde(default)]
    pub place_words: Vec<String>,
    /// Field names whose value begins with a name: as after a context word
    /// (`contact`, `kontaktpersona`, `signer`).
    #[serde(default)]
    pub context_fields: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub counterexamples: Vec<String>,
}

/// A whole value that is never personal data (a timestamp, a UUID, ...).
#[derive(Debug, Clone, Deserialize)]
pub struct SafeShape {
    pub id: String,
    /// Matched against the whole value, with ASCII classes (`\d` is 0-9).
    pub pattern: String,
    /// The shape does not apply to a value in which this pattern is found.
    #[serde(default)]
    pub unless: Option<String>,
    #[serde(default)]
    pub min_len: Option<usize>,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub examples: Vec<String>,
}

fn suffix() -> String {
    "suffix".into()
}
fn full() -> String {
    "full".into()
}
fn text() -> String {
    "text".into()
}
fn value() -> String {
    "value".into()
}
fn yes() -> bool {
    true
}
fn forty() -> usize {
    40
}

/// A rule set that cannot be read; the message names the place and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError(pub String);

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RuleError {}

impl RuleSet {
    /// The shipped rules, as the files in `patterns/` define them (no user files).
    pub fn shipped() -> Result<RuleSet, RuleError> {
        let mut all = RuleSet::default();
        for (name, text) in SHIPPED_FILES {
            let part = RuleSet::from_toml(name, text)?;
            all.categories.extend(part.categories);
            all.fields.extend(part.fields);
            all.contexts.extend(part.contexts);
            all.neutrals.extend(part.neutrals);
            all.values.extend(part.values);
            all.safe.extend(part.safe);
            all.names.extend(part.names);
        }
        Ok(all)
    }

    /// One rule file's text; the error names the file (`name`) and the problem.
    pub fn from_toml(name: &str, text: &str) -> Result<RuleSet, RuleError> {
        let rules: RuleSet = toml::from_str(text).map_err(|e| RuleError(format!("{name}: {e}")))?;
        rules.categories_known().map_err(|e| RuleError(format!("{name}: {e}")))?;
        Ok(rules)
    }

    /// Merged tables as the Python loader hands them over (JSON, one array per section).
    pub fn from_json(text: &str) -> Result<RuleSet, RuleError> {
        let rules: RuleSet = serde_json::from_str(text).map_err(|e| RuleError(format!("rule set: {e}")))?;
        rules.categories_known().map_err(|e| RuleError(format!("rule set: {e}")))?;
        Ok(rules)
    }

    /// Every category a rule names is one of the 18 (a value rule may name none).
    fn categories_known(&self) -> Result<(), String> {
        let numbers = self.categories.iter().map(|c| ("category", "number", c.number));
        let fields = self.fields.iter().map(|r| ("field", r.id.as_str(), r.category));
        let contexts = self.contexts.iter().map(|r| ("context", r.id.as_str(), r.category));
        let values = self.values.iter().filter_map(|r| Some(("value", r.id.as_str(), r.category?)));
        let names = self.names.iter().map(|r| ("names", r.id.as_str(), r.category));
        match numbers.chain(fields).chain(contexts).chain(values).chain(names).find(|(_, _, n)| !(1..=18).contains(n)) {
            Some((section, id, n)) => Err(format!("{section} {id:?}: category {n} is not one of the 18 (1 to 18)")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse() {
        let rules = RuleSet::shipped().unwrap();
        assert_eq!(rules.categories.len(), 18);
        assert!(rules.fields.iter().any(|f| f.id == "person_name"));
        assert!(rules.values.iter().any(|v| v.id == "email"));
    }

    /// rules_toml (fuzzing): a category past 31 overflowed the event's
    /// category bits (a panic with debug assertions, a wrong category without).
    #[test]
    fn a_category_that_is_not_one_of_the_18_is_an_error() {
        for n in [0, 19, 79, 255] {
            let text = format!("[[value]]\nid = \"order_ref\"\npattern = 'PAS-[0-9]{{6}}'\nneeds = [\"PAS-\"]\ncategory = {n}\n");
            let e = RuleSet::from_toml("mine.toml", &text).unwrap_err();
            assert!(e.0.starts_with("mine.toml: value \"order_ref\": category") && e.0.contains("not one of the 18"), "{e}");
            let field = format!("[[field]]\nid = \"f\"\ncategory = {n}\nterms = [\"x\"]\n");
            assert!(RuleSet::from_toml("mine.toml", &field).is_err());
        }
        // Look-alike: 1 and 18 are categories, and a value rule may name none.
        for text in ["[[value]]\nid = \"a\"\npattern = 'x'\nneeds = [\"x\"]\ncategory = 18\n", "[[value]]\nid = \"a\"\npattern = 'x'\nneeds = [\"x\"]\ncategory = 1\n", "[[value]]\nid = \"a\"\npattern = 'x'\nneeds = [\"x\"]\n"] {
            RuleSet::from_toml("mine.toml", text).unwrap();
        }
    }
}
