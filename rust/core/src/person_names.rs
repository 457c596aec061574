//! Person names in free text, found with a lexicon (`patterns/names.toml`).
//!
//! A name is a run of one to three capitalised words (`Jānis`, `JĀNIS`,
//! `Kalniņa-Ozola`) on one line. A run is a name when its first word is a
//! given name and the next a surname (a known one, one with a surname's
//! ending, or any capitalised word), when it is a known surname then a given
//! name (`Bērziņš Jānis`), an initial and a known surname (`J. Bērziņš`), or
//! when a title or a context word stands just before it (`Mr Smith`,
//! `klients: Ričards Ozoliņš`) or a title just after it (`Bērziņa kundze`).
//! A surname may come first (`BĒRZIŅŠ, Jānis`, `Bērziņš Jānis`), a given
//! name may be in the masculine genitive before a surname in it (`Jāņa
//! Bērziņa`), and after a context word a name may be in lower case
//! (`klients jānis bērziņš`). A run directly after a company's legal form
//! (`SIA`, `Ltd`) is a company, one just before a place word (`Krišjāņa
//! Barona iela`) a street's or an institution's name, and a word such as a
//! place, a month or a log word is never part of one. Words are compared
//! folded (no case, no diacritics), so `Janis Berzins` is found as `Jānis
//! Bērziņš` is; a given name written with diacritics is compared with them
//! (`Jāņa` is not `Jana`).

use rustc_hash::FxHashSet as HashSet;

use crate::rules::{NamesRule, RuleError};
use crate::text::{fold, fold_into};

/// The most words a name is taken to have.
const MAX_WORDS: usize = 3;
/// How far back (in bytes) a context word before a name is looked for.
const CONTEXT_REACH: usize = 48;

/// One compiled `[[names]]` lexicon.
pub struct NameFinder {
    given: HashSet<String>,
    /// The given names in lower case with their diacritics.
    given_marked: HashSet<String>,
    surnames: HashSet<String>,
    /// Folded, longest first.
    endings: Vec<String>,
    titles: HashSet<String>,
    after_titles: HashSet<String>,
    /// Folded phrases, each as its words.
    context: Vec<Vec<String>>,
    /// The context phrases (indexes into `context`) by their last word.
    cues: rustc_hash::FxHashMap<String, Vec<usize>>,
    not_names: HashSet<String>,
    /// As written: "AS" is a company form, "as" a word ("logged in as Anna").
    company_markers: HashSet<String>,
    /// Markers written with lower case letters ("biedrība", "GmbH"), folded.
    company_words: HashSet<String>,
    /// Folded.
    place_words: HashSet<String>,
}

/// A word of the text: its byte span and how it is written.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// The first letter is upper case.
    capital: bool,
    /// Every letter is upper case (and there are two or more).
    caps: bool,
}

impl NameFinder {
    pub fn new(rule: &NamesRule) -> Result<NameFinder, RuleError> {
        let err = |what: &str| RuleError(format!("[[names]] id='{}': {what}", rule.id));
        let set = |list: &[String], what: &str| -> Result<HashSet<String>, RuleError> {
            let mut out = HashSet::default();
            for item in list {
                let folded = fold(item.trim().trim_end_matches('.')).into_owned();
                if folded.is_empty() || folded.contains(char::is_whitespace) {
                    return Err(err(&format!("{what} holds {item:?}: write one word")));
                }
                out.insert(folded);
            }
            Ok(out)
        };
        let mut endings: Vec<String> = rule.surname_endings.iter().map(|e| fold(e.trim()).into_owned()).collect();
        if endings.iter().any(String::is_empty) {
            return Err(err("surname_endings holds an empty ending"));
        }
        endings.sort_by_key(|e| std::cmp::Reverse(e.len()));
        let mut context = Vec::new();
        for phrase in &rule.context {
            // Split as the words before a name are ("vārds, uzvārds": two words).
            let words = folded_words(phrase);
            if words.is_empty() {
                return Err(err(&format!("context holds {phrase:?}: write a word or words")));
            }
            context.push(words);
        }
        let (mut company_markers, mut company_words) = (HashSet::default(), HashSet::default());
        for marker in &rule.company_markers {
            let marker = marker.trim().trim_end_matches('.');
            if marker.is_empty() || marker.contains(char::is_whitespace) {
                return Err(err(&format!("company_markers holds {marker:?}: write one word")));
            }
            if marker.chars().any(char::is_lowercase) {
                company_words.insert(fold(marker).into_owned());
            } else {
                company_markers.insert(marker.to_string());
            }
        }
        let titles = set(&rule.titles, "titles")?;
        let mut cues: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (i, phrase) in context.iter().enumerate() {
            if let Some(last) = phrase.last() {
                cues.entry(last.clone()).or_default().push(i);
            }
        }
        Ok(NameFinder {
            cues,
            given: set(&rule.given, "given")?,
            given_marked: rule.given.iter().map(|g| g.trim().trim_end_matches('.').to_lowercase()).collect(),
            place_words: set(&rule.place_words, "place_words")?,
            surnames: set(&rule.surnames, "surnames")?,
            endings,
            titles,
            after_titles: set(&rule.after_titles, "after_titles")?,
            context,
            not_names: set(&rule.not_names, "not_names")?,
            company_markers,
            company_words,
        })
    }

    /// Whether `text` could hold a name: two capitalised words, or one in a
    /// text longer than 4 bytes (it may follow a context word), or none in
    /// one longer than 8 (in lower case after one). Cheap: no folding.
    pub fn may_hold(text: &str) -> bool {
        // Most log text is ASCII: without an upper-case letter it holds no name.
        if !crate::text::any_byte(text.as_bytes(), |b| b.is_ascii_uppercase() || !b.is_ascii()) {
            return false;
        }
        // Past 8 bytes any count of capitals will do (none: a lower-case name
        // after a context word), so only a short text's words are counted.
        text.len() > 8 || short_text_may_hold(text)
    }
    /// The names in `text` as byte spans, in order, none inside `taken`
    /// (the spans other rules found, in order and not overlapping).
    /// `field`: the text is the value of a field whose name says that it
    /// begins with a name (as a context word would).
    pub fn find(&self, text: &str, taken: &[(usize, usize)], field: bool) -> Vec<(usize, usize)> {
        let words = words(text);
        let (mut found, mut scratch) = (Vec::new(), String::new());
        let mut i = 0;
        // The first span of `taken` that does not end before the word at
        // hand: the words come in order, so it only moves on.
        let mut next_taken = 0;
        while i < words.len() {
            let w = words[i];
            while taken.get(next_taken).is_some_and(|&(_, e)| e <= w.start) {
                next_taken += 1;
            }
            if taken.get(next_taken).is_some_and(|&(s, _)| s < w.end) {
                i += 1;
                continue;
            }
            // The field's name stands before the value's first word (blanks
            // and quotes aside: "[HASH:…]" begins with no name).
            let cued = field && i == 0 && text[..w.start].chars().all(|c| c.is_whitespace() || is_quote(c));
            let name = if w.capital {
                self.name_at(text, &words, i, taken, cued, &mut scratch)
            } else {
                self.lower_name_at(text, &words, i, taken, cued)
            };
            let name = name.filter(|&n| !self.place_after(text, &words, i + n - 1));
            match name {
                Some(n) => {
                    found.push((words[i].start, words[i + n - 1].end));
                    i += n;
                }
                None => i += 1,
            }
        }
        found
    }

    /// How many words from `words[i]` are a name, if they are one; `cued`:
    /// the field's name stands before them as a context word would.
    /// `scratch`: a buffer for the run's folded words.
    fn name_at(&self, text: &str, words: &[Word], i: usize, taken: &[(usize, usize)], cued: bool, scratch: &mut String) -> Option<usize> {
        let first = words[i];
        // The run: capitalised words of one style, one space or tab apart.
        let mut run = 1;
        while run < MAX_WORDS && i + run < words.len() {
            let (prev, next) = (words[i + run - 1], words[i + run]);
            let gap = &text[prev.end..next.start];
            let joined = !gap.is_empty() && gap.len() <= 2 && gap.chars().all(|c| c == ' ' || c == '\t');
            if !joined || !next.capital || next.caps != first.caps || overlaps(taken, next.start, next.end) {
                break;
            }
            run += 1;
        }
        // One letter alone is an initial or a code ("customer C-3"), never a
        // name: the first word needs a second letter.
        text[first.start..first.end].chars().nth(1)?;
        // A first word that is never part of a name (a log level: "INFO")
        // leaves no run: asked without folding it into `scratch`.
        if self.is_ascii_not_name(&text[first.start..first.end]) {
            return None;
        }
        // Folded one by one into `scratch`, cut before a word that is never part of a name.
        scratch.clear();
        let (mut ends, mut kept) = ([0; MAX_WORDS], 0);
        for w in &words[i..i + run] {
            let from = scratch.len();
            fold_into(&text[w.start..w.end], scratch);
            if self.not_names.contains(&scratch[from..]) {
                break;
            }
            ends[kept] = scratch.len();
            kept += 1;
        }
        let (run, scratch) = (kept, &*scratch);
        let folded = |k: usize| &scratch[if k == 0 { 0 } else { ends[k - 1] }..ends[k]];
        if run == 0 || self.is_company(&text[first.start..first.end], folded(0)) || self.after_company(text, first.start) {
            return None;
        }
        // After a title or context word, or before "kungs": the whole run
        // ("klients: PŪPOLA, Dagnija": a surname, a comma and one more word).
        if cued || self.named_before(text, first.start) || self.titled_after(text, words, i + run - 1) {
            let after_comma = run == 1 && self.comma_then_word(text, words, i, taken);
            // One word in capitals alone under such a field is a code ("N/A", "NONE"), not a name.
            let code = cued && run == 1 && !after_comma && first.caps && !self.named_before(text, first.start);
            return (!code).then_some(if after_comma { 2 } else { run });
        }
        let written = &text[first.start..first.end];
        if run >= 2 && self.is_given(written, folded(0)) {
            // Given, middle and surname; else given and surname (any capitalised word).
            let middle = run == 3 && self.given.contains(folded(1)) && self.is_surname(folded(2));
            return Some(if middle { 3 } else { 2 });
        }
        // "Jāņa Bērziņa": a given name in the masculine genitive, then a surname.
        if run >= 2 && self.is_surname(folded(1)) && self.is_genitive(written) {
            return Some(2);
        }
        if let Some(n) = self.surname_first(text, words, i, taken, folded(0)) {
            return Some(n);
        }
        // "J. Bērziņš": an initial, then a known surname.
        let initial = |w: &Word| w.end - w.start == 1 && text[w.end..].starts_with('.');
        if i > 0 && initial(&words[i - 1]) && words[i - 1].end + 3 >= first.start && self.surnames.contains(folded(0)) {
            return Some(1);
        }
        None
    }

    /// `word` is ASCII, short, and in `not_names` (its fold is its lower case).
    fn is_ascii_not_name(&self, word: &str) -> bool {
        let mut lower = [0u8; 16];
        let Some(buf) = lower.get_mut(..word.len()).filter(|_| word.is_ascii()) else { return false };
        buf.copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        std::str::from_utf8(buf).is_ok_and(|folded| self.not_names.contains(folded))
    }

    /// Surname first: "BĒRZIŅŠ, Jānis", "Bērziņš, Jānis", "BĒRZIŅŠ Jānis",
    /// "Bērziņš Jānis", "KOWALCZYK, Anna" — a surname (known or by its
    /// ending; any word in capitals before a comma and a given name that is
    /// not), a comma or not, then a given name that no third capitalised
    /// word follows ("INFO Anna Ozola" is Anna Ozola).
    fn surname_first(&self, text: &str, words: &[Word], i: usize, taken: &[(usize, usize)], folded: &str) -> Option<usize> {
        let (first, next) = (words[i], *words.get(i + 1)?);
        let gap = &text[first.end..next.start];
        let spaces = gap.strip_prefix(',').unwrap_or(gap);
        let comma = spaces.len() < gap.len();
        if !next.capital || spaces.len() > 2 || (spaces.is_empty() && !comma) || !spaces.chars().all(|c| c == ' ' || c == '\t') {
            return None;
        }
        if overlaps(taken, next.start, next.end) || self.is_given(&text[first.start..first.end], folded) {
            return None;
        }
        let given_text = &text[next.start..next.end];
        let given = fold(given_text);
        if self.not_names.contains(given.as_ref()) || !self.is_given(given_text, &given) {
            return None;
        }
        let third = words.get(i + 2).is_some_and(|w| {
            w.capital && w.caps == next.caps && text[next.end..w.start].chars().all(|c| c == ' ') && w.start - next.end <= 2
        });
        let surname = self.is_surname(folded) || (first.caps && comma && !next.caps);
        (surname && !third).then_some(2)
    }

    /// `words[i]` is followed by a comma and a capitalised word that may be
    /// part of a name ("PŪPOLA, Dagnija").
    fn comma_then_word(&self, text: &str, words: &[Word], i: usize, taken: &[(usize, usize)]) -> bool {
        let Some(next) = words.get(i + 1) else { return false };
        let gap = &text[words[i].end..next.start];
        next.capital
            && matches!(gap, ", " | ",")
            && !overlaps(taken, next.start, next.end)
            && !self.not_names.contains(fold(&text[next.start..next.end]).as_ref())
    }

    /// A lower-case name at `words[i]`: a given name and a surname after a
    /// context word (or first in a field whose name says it holds one), or
    /// a given name and a known surname anywhere (both in the lexicons).
    fn lower_name_at(&self, text: &str, words: &[Word], i: usize, taken: &[(usize, usize)], cued: bool) -> Option<usize> {
        let w = words[i];
        let written = &text[w.start..w.end];
        if written.len() < 3 {
            return None;
        }
        // The next word first: most lower-case words have none just after
        // them, and then only a field's whole value may be a name (the
        // spans taken, a search, looked at last).
        let next = words.get(i + 1).filter(|n| {
            matches!(&text[w.end..n.start], " " | "\t") && !n.capital && !overlaps(taken, n.start, n.end)
        });
        // The whole value of such a field: "contact": "anna".
        let whole_value = cued && words.len() == 1;
        if next.is_none() && !whole_value {
            return None;
        }
        // Lower case as written: looked up without folding ("jānis", "janis").
        let given = if written.is_ascii() { self.given.contains(written) } else { self.given_marked.contains(written) };
        if !given {
            return None;
        }
        let Some(next) = next else { return Some(1) };
        let surname = fold(&text[next.start..next.end]);
        if self.surnames.contains(surname.as_ref()) {
            return Some(2);
        }
        let after_context = cued || self.named_before(text, w.start);
        (after_context && (self.is_surname(&surname) || (cued && words.len() == 2))).then_some(2)
    }

    /// `written` (a word as the text has it, `folded` its fold) is a given
    /// name: compared folded when written in ASCII, else with its diacritics.
    fn is_given(&self, written: &str, folded: &str) -> bool {
        // Every marked given name's fold is in `given`: most words are
        // ruled out there, without lower-casing them.
        self.given.contains(folded) && (written.is_ascii() || self.given_marked.contains(lower(written).as_ref()))
    }

    /// `written` is the masculine genitive of a given name: "Jāņa" (Jānis),
    /// "Kārļa" (Kārlis), "Pētera" (Pēteris), "Ivara" (Ivars), "Mārtiņa" (Mārtiņš).
    fn is_genitive(&self, written: &str) -> bool {
        let word = lower(written);
        let Some(stem) = word.strip_suffix('a').filter(|s| s.chars().nth(1).is_some()) else { return false };
        let known = |form: &str| {
            if written.is_ascii() {
                self.given.contains(form)
            } else {
                self.given_marked.contains(form)
            }
        };
        // Before -is a softened consonant is hard again: Jāņa -> Jānis.
        let mut hard = stem.to_string();
        if let Some(last) = hard.pop() {
            hard.push(match last {
                'ņ' => 'n',
                'ļ' => 'l',
                'ž' => 'z',
                'č' => 'c',
                'š' => 's',
                other => other,
            });
        }
        ["s", "š", "is"].iter().any(|end| known(&format!("{stem}{end}"))) || known(&format!("{hard}is"))
    }

    /// The word after the name's last word (`words[last]`) is a place word
    /// and that word is not a masculine nominative (`-s`, `-š`): the name is
    /// a street's or an institution's, named after a person in the genitive
    /// ("Krišjāņa Barona iela", "Paula Stradiņa slimnīca"; "pacients Jānis
    /// Bērziņš slimnīcā" is a person).
    fn place_after(&self, text: &str, words: &[Word], last: usize) -> bool {
        let Some(next) = words.get(last + 1) else { return false };
        let (name, gap) = (&text[words[last].start..words[last].end], &text[words[last].end..next.start]);
        // The last two letters in lower case, read from the end (no copy of the word).
        let mut end = name.chars().rev().map(|c| c.to_lowercase().next().unwrap_or(c));
        let (ultimate, penultimate) = (end.next(), end.next());
        // "-as", "-es" end feminine genitives ("Annas Brigaderes iela").
        let nominative = match ultimate {
            Some('š') => true,
            Some('s') => !matches!(penultimate, Some('a' | 'e')),
            _ => false,
        };
        !nominative
            && !gap.is_empty()
            && gap.len() <= 2
            && gap.chars().all(|c| c == ' ' || c == '\t')
            && self.place_words.contains(fold(&text[next.start..next.end]).as_ref())
    }

    fn is_surname(&self, folded: &str) -> bool {
        self.surnames.contains(folded) || self.endings.iter().any(|e| folded.len() > e.len() + 1 && folded.ends_with(e.as_str()))
    }

    /// A title or a context word stands just before `start` (quotes,
    /// `:`, `=`, `-` and spaces between allowed).
    fn named_before(&self, text: &str, start: usize) -> bool {
        // The word just before: a title, a one-word context, or the last
        // word of a longer context phrase (then read the words before it).
        let head = text[..start].trim_end_matches(|c: char| c.is_whitespace() || is_quote(c) || matches!(c, ':' | '=' | '-' | '–' | '(' | ',' | '.'));
        let word_start = head.char_indices().rev().find(|&(_, c)| !c.is_alphanumeric()).map_or(0, |(i, c)| i + c.len_utf8());
        let last = fold(&head[word_start..]);
        if last.is_empty() {
            return false;
        }
        if self.titles.contains(last.as_ref()) {
            return true;
        }
        let Some(phrases) = self.cues.get(last.as_ref()) else { return false };
        if phrases.iter().any(|&i| self.context[i].len() == 1) {
            return true;
        }
        let before = before_words(text, start, CONTEXT_REACH);
        phrases.iter().any(|&i| before.ends_with(&self.context[i]))
    }

    /// The word after the run's last word is a title that follows a name.
    fn titled_after(&self, text: &str, words: &[Word], last: usize) -> bool {
        let Some(next) = words.get(last + 1) else { return false };
        let gap = &text[words[last].end..next.start];
        gap.chars().all(char::is_whitespace) && !gap.is_empty() && self.after_titles.contains(fold(&text[next.start..next.end]).as_ref())
    }

    /// The word just before `start` is a company's legal form.
    fn after_company(&self, text: &str, start: usize) -> bool {
        let before = text[..start].trim_end_matches(|c: char| c.is_whitespace() || is_quote(c));
        let word_start = before.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        self.is_company_marker(&before[word_start..])
    }

    /// `word` is a company's legal form: as written ("AS", not "as"), or in
    /// any case for a marker written with lower case letters ("biedrība").
    fn is_company_marker(&self, word: &str) -> bool {
        self.is_company(word, &fold(word))
    }

    /// [`NameFinder::is_company_marker`] of `word`, given its fold.
    fn is_company(&self, word: &str, folded: &str) -> bool {
        !word.is_empty() && (self.company_markers.contains(word) || self.company_words.contains(folded))
    }
}

/// The folded words just before `start` (at most `reach` bytes back, on
/// the same line and in the same sentence), after the separators that may
/// stand between a word and a name.
fn before_words(text: &str, start: usize, reach: usize) -> Vec<String> {
    let mut from = start.saturating_sub(reach);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text[from..start].trim_end_matches(|c: char| c.is_whitespace() || is_quote(c) || matches!(c, ':' | '=' | '-' | '–' | '(' | ','));
    // A title's own full stop ("Mr. Brown") ends no sentence.
    let window = window.strip_suffix('.').unwrap_or(window);
    let window = match window.rfind(['\n', '.', ';', '!', '?', '|']) {
        Some(i) => &window[i + 1..],
        // A word cut by the window's start is not a word before the name.
        None if from > 0 && text[..from].chars().next_back().is_some_and(char::is_alphanumeric) => {
            window.find(|c: char| !c.is_alphanumeric()).map_or("", |i| &window[i..])
        }
        None => window,
    };
    folded_words(window)
}

/// The folded words of `text`, split at anything but letters and digits.
fn folded_words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// A quotation mark that may stand around a name (`"`, `'`, `‘’„“”«»`).
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '‘' | '’' | '„' | '“' | '”' | '«' | '»')
}

/// [`NameFinder::may_hold`] of a text of at most 8 bytes that holds an
/// upper-case or non-ASCII letter: two capitalised words, or one in a text
/// longer than 4 bytes.
fn short_text_may_hold(text: &str) -> bool {
    let mut capitals = 0;
    let mut after_letter = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if !after_letter && c.is_uppercase() {
                capitals += 1;
            }
            after_letter = true;
        } else {
            // An apostrophe inside a word (O'Brien) goes on with it; a
            // quote before one ('Ričards') does not.
            after_letter = after_letter && (c == '\'' || c == '’');
        }
    }
    capitals >= 2 || (capitals == 1 && text.len() > 4)
}

/// `text` in lower case (borrowed when it is).
fn lower(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Whether `start..end` overlaps a span of `taken` (in order, not overlapping).
fn overlaps(taken: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = taken.partition_point(|&(_, e)| e <= start);
    taken.get(i).is_some_and(|&(s, _)| s < end)
}

/// The words of `text`: letters, with `-` or an apostrophe between letters.
fn words(text: &str) -> Vec<Word> {
    let bytes = text.as_bytes();
    // About one word in eight bytes of log text: grown once or twice, not a dozen times.
    let mut out = Vec::with_capacity(text.len() / 8);
    let (mut pos, mut prev_alnum) = (0, false);
    while pos < bytes.len() {
        // Most of a text is ASCII that starts no word: one byte at a time.
        let b = bytes[pos];
        if b.is_ascii() && (prev_alnum || !b.is_ascii_alphabetic()) {
            prev_alnum = b.is_ascii_alphanumeric() || (prev_alnum && b == b'_');
            pos += 1;
            continue;
        }
        let c = char_at(text, pos);
        pos += c.len_utf8();
        let Some(capital) = letter_case(c).filter(|_| !prev_alnum) else {
            prev_alnum = c.is_alphanumeric();
            continue;
        };
        let start = pos - c.len_utf8();
        let (mut upper, mut letters, mut end) = (usize::from(capital), 1, pos);
        while pos < bytes.len() {
            if bytes[pos].is_ascii_alphabetic() {
                upper += usize::from(bytes[pos].is_ascii_uppercase());
                letters += 1;
                (pos, end) = (pos + 1, pos + 1);
                continue;
            }
            let d = char_at(text, pos);
            let after = pos + d.len_utf8();
            if let Some(is_upper) = letter_case(d) {
                upper += usize::from(is_upper);
                letters += 1;
            } else if !(matches!(d, '-' | '\'' | '’') && after < bytes.len() && letter_case(char_at(text, after)).is_some()) {
                break;
            }
            (pos, end) = (after, after);
        }
        // A word glued to digits or an underscore ("v2", "Item_3") is an identifier.
        prev_alnum = pos < bytes.len() && {
            let d = char_at(text, pos);
            d.is_alphanumeric() || d == '_'
        };
        if !prev_alnum {
            out.push(Word { start, end, capital, caps: upper == letters && letters >= 2 });
        }
    }
    out
}

/// The character at byte `pos` of `text` (a character boundary, not the end).
fn char_at(text: &str, pos: usize) -> char {
    match text.as_bytes()[pos] {
        b if b.is_ascii() => char::from(b),
        _ => text[pos..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

/// For a letter, whether it is upper case; `None` for any other character.
/// Latin script (below U+0250) is read from a table made from the general rule.
fn letter_case(c: char) -> Option<bool> {
    const LATIN_END: usize = crate::text::LATIN_END as usize;
    static LATIN: std::sync::OnceLock<[u8; LATIN_END]> = std::sync::OnceLock::new();
    let general = |c: char| c.is_alphabetic().then(|| c.is_uppercase());
    match u32::from(c) as usize {
        n if n < LATIN_END => {
            let table = LATIN.get_or_init(|| {
                let mut table = [0; LATIN_END];
                for (n, entry) in table.iter_mut().enumerate() {
                    *entry = char::from_u32(n as u32).and_then(general).map_or(0, |upper| 1 + u8::from(upper));
                }
                table
            });
            match table[n] {
                0 => None,
                entry => Some(entry == 2),
            }
        }
        _ => general(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder() -> NameFinder {
        let rule = NamesRule {
            id: "person_name_text".into(),
            category: 1,
            label: None,
            action: None,
            mask: "full".into(),
            normalize: "text".into(),
            source: String::new(),
            given: ["Jānis", "Anna", "Līga", "John", "Jana", "Pēteris"].map(String::from).to_vec(),
            surnames: ["Bērziņš", "Ozola", "Smith"].map(String::from).to_vec(),
            surname_endings: ["ins", "ina", "ite"].map(String::from).to_vec(),
            titles: ["Mr", "Dr"].map(String::from).to_vec(),
            after_titles: ["kundze"].map(String::from).to_vec(),
            context: ["klients", "vārds uzvārds"].map(String::from).to_vec(),
            not_names: ["Rīga", "Rīgā", "Payment"].map(String::from).to_vec(),
            company_markers: ["SIA"].map(String::from).to_vec(),
            place_words: ["iela", "slimnīca"].map(String::from).to_vec(),
            context_fields: vec![],
            examples: vec![],
            counterexamples: vec![],
        };
        NameFinder::new(&rule).unwrap()
    }

    fn names(text: &str) -> Vec<&str> {
        finder().find(text, &[], false).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn names_in_text() {
        assert_eq!(names("samaksāja Jānis Bērziņš šodien"), ["Jānis Bērziņš"]);
        assert_eq!(names("JĀNIS BĒRZIŅŠ"), ["JĀNIS BĒRZIŅŠ"]);
        assert_eq!(names("Janis Berzins paid"), ["Janis Berzins"]);
        assert_eq!(names("Bērziņš Jānis"), ["Bērziņš Jānis"]);
        assert_eq!(names("Anna Līga Kalniņa"), ["Anna Līga Kalniņa"]);
        assert_eq!(names("from John Smith, ok"), ["John Smith"]);
        assert_eq!(names("klients: Ričards Ozoliņš Rīgā"), ["Ričards Ozoliņš"]);
        assert_eq!(names("Vārds uzvārds - Ričards"), ["Ričards"]);
        assert_eq!(names("signed by Mr. Brown"), ["Brown"]);
        assert_eq!(names("Ozola kundze zvanīja"), ["Ozola"]);
        assert_eq!(names("J. Bērziņš"), ["Bērziņš"]);
        assert_eq!(names("Jānis Kalniņa-Ozola"), ["Jānis Kalniņa-Ozola"]);
    }

    #[test]
    fn surnames_first_genitives_and_lower_case() {
        assert_eq!(names("BĒRZIŅŠ, Jānis ieradās"), ["BĒRZIŅŠ, Jānis"]);
        assert_eq!(names("Bērziņš, Jānis"), ["Bērziņš, Jānis"]);
        assert_eq!(names("BĒRZIŅŠ Jānis"), ["BĒRZIŅŠ Jānis"]);
        assert_eq!(names("BĒRZIŅŠ JĀNIS"), ["BĒRZIŅŠ JĀNIS"]);
        assert_eq!(names("KOWALCZYK, Anna"), ["KOWALCZYK, Anna"]);
        assert_eq!(names("Kalniņa Līga"), ["Kalniņa Līga"]);
        assert_eq!(names("INFO Anna Ozola logged in"), ["Anna Ozola"]);
        assert_eq!(names("Jāņa Bērziņa pieteikums"), ["Jāņa Bērziņa"]);
        assert_eq!(names("Pētera Ozola rēķins"), ["Pētera Ozola"]);
        assert_eq!(names("Jana Sēta"), ["Jana Sēta"], "Jana is a given name");
        assert_eq!(names("klients jānis bērziņš zvanīja"), ["jānis bērziņš"]);
        assert_eq!(names("klients: anna kalniņa"), ["anna kalniņa"]);
        assert_eq!(names("samaksāja jānis bērziņš"), ["jānis bērziņš"], "both in the lexicons");
        assert_eq!(names("Jānis Bērziņš slimnīcā"), ["Jānis Bērziņš"], "a person at a place");
        let cued = |text: &str| -> Vec<String> {
            finder().find(text, &[], true).into_iter().map(|(s, e)| text[s..e].to_string()).collect()
        };
        assert_eq!(cued("Emeka Nguyen"), ["Emeka Nguyen"]);
        assert_eq!(cued("anna"), ["anna"]);
        assert_eq!(cued("anna nguyen"), ["anna nguyen"]);
        assert_eq!(cued("SIA Kokmaiņa"), Vec::<String>::new());
        assert_eq!(cued("PŪPOLA, Dagnija"), ["PŪPOLA, Dagnija"]);
        assert_eq!(cued(" 'Emeka'"), ["Emeka"]);
        for text in ["[HASH:k1:0f3a9c2b7d1e4f5a6b7c]", "NONE", "N/A", "id 5, Emeka Nguyen"] {
            assert_eq!(cued(text), Vec::<String>::new(), "{text}");
        }
        assert_eq!(names("klients: NGUYEN, Emeka"), ["NGUYEN, Emeka"]);
        assert_eq!(names("klients: Nguyen, Rīgā"), ["Nguyen"]);
        assert_eq!(cued("anna from support"), Vec::<String>::new());
    }

    #[test]
    fn look_alikes_of_genitives_surnames_first_and_lower_case() {
        for text in ["Jāņa Sēta veikals", "Jāņa Bērziņa iela", "Pētera Ozola slimnīca", "Annas Ozolas ielā", "ERROR Anna", "KOWALCZYK Anna", "ERROR, ANNA", "Rīgā, Anna", "Paldies, Anna",
                     "Anna, Jānis", "klients anna", "anna from support", "jānis ozols", "klients jānis ir", "Ozola , Anna"] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
    }

    #[test]
    fn not_names() {
        for text in ["customer C-3 called back", "klients A", "Mr X", "klients SIA Kokmaiņa", "Payment Received", "SIA Jānis Bērziņš", "Anna", "Jānis Rīgā", "Office 365", "Jānis_2 Bērziņš", "The klients. Payment"] {
            assert!(names(text).is_empty(), "{text}");
        }
        assert!(!NameFinder::may_hold("request finished"));
        assert!(NameFinder::may_hold("paid by Jānis Bērziņš"));
    }

    /// `may_hold` as the first version had it: every character counted.
    fn may_hold_by_char(text: &str) -> bool {
        if !text.chars().any(|c| c.is_uppercase() || !c.is_ascii()) {
            return false;
        }
        let (mut capitals, mut after_letter) = (0, false);
        for c in text.chars() {
            if c.is_alphabetic() {
                if !after_letter && c.is_uppercase() {
                    capitals += 1;
                    if capitals == 2 {
                        return true;
                    }
                }
                after_letter = true;
            } else {
                after_letter = after_letter && (c == '\'' || c == '’');
            }
        }
        (capitals == 1 && text.len() > 4) || (capitals == 0 && text.len() > 8)
    }

    #[test]
    fn may_hold_equals_counting_every_character() {
        let alphabet: Vec<char> = "aZ9_-'’ .,\tĀāŠšß€Ωω中ǅ".chars().collect();
        let mut seed: u64 = 0x5eed_0001;
        for _ in 0..50_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bits = seed;
            let text: String = (0..(seed % 14))
                .map(|_| {
                    let c = alphabet[(bits % alphabet.len() as u64) as usize];
                    bits = (bits / alphabet.len() as u64).max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    c
                })
                .collect();
            assert_eq!(NameFinder::may_hold(&text), may_hold_by_char(&text), "{text:?}");
        }
        for text in ["Ab", "A b", "AB c", "Ab Cd", "abcdefgh", "abcdefgħ", "ab ĀB", "x Ā", "Ā", "ĀĀ ĀĀ", "O'Brien", "'A' 'B'"] {
            assert_eq!(NameFinder::may_hold(text), may_hold_by_char(text), "{text:?}");
        }
    }

    /// The words as the first version found them, one character at a time.
    fn words_by_char(text: &str) -> Vec<(usize, usize, bool, bool)> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut prev_alnum = false;
        while let Some((start, c)) = chars.next() {
            if !c.is_alphabetic() || prev_alnum {
                prev_alnum = c.is_alphanumeric() || (prev_alnum && c == '_');
                continue;
            }
            let mut end = start + c.len_utf8();
            let (mut upper, mut letters) = (usize::from(c.is_uppercase()), 1);
            while let Some(&(i, d)) = chars.peek() {
                if d.is_alphabetic() {
                    upper += usize::from(d.is_uppercase());
                    letters += 1;
                    end = i + d.len_utf8();
                    chars.next();
                } else if matches!(d, '-' | '\'' | '’') && text[i + d.len_utf8()..].chars().next().is_some_and(char::is_alphabetic) {
                    end = i + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let glued = chars.peek().is_some_and(|&(_, d)| d.is_alphanumeric() || d == '_');
            prev_alnum = glued;
            if !glued {
                out.push((start, end, c.is_uppercase(), upper == letters && letters >= 2));
            }
        }
        out
    }

    #[test]
    fn letter_case_is_the_general_rule() {
        for c in (0..0x800).filter_map(char::from_u32).chain(['Ω', 'ǅ', '中', '\u{1E9E}']) {
            assert_eq!(letter_case(c), c.is_alphabetic().then(|| c.is_uppercase()), "{c:?}");
        }
    }

    #[test]
    fn words_equal_a_character_at_a_time() {
        let alphabet: Vec<char> = "aZ9_-'’ .,\tĀāŠšŅņß€Ωω中٣\u{301}ǅ".chars().collect();
        let mut seed: u64 = 0x5eed;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bits = seed;
            for _ in 0..(seed % 12) {
                text.push(alphabet[(bits % alphabet.len() as u64) as usize]);
                bits /= alphabet.len() as u64;
                if bits == 0 {
                    bits = seed.rotate_left(17);
                }
            }
            let fast: Vec<_> = words(&text).iter().map(|w| (w.start, w.end, w.capital, w.caps)).collect();
            assert_eq!(fast, words_by_char(&text), "{text:?}");
        }
    }

    #[test]
    fn spans_taken_by_other_rules_are_left_alone() {
        let text = "Jānis Bērziņš";
        assert!(finder().find(text, &[(0, text.len())], false).is_empty());
    }
}

#[cfg(test)]
mod shipped {
    use super::*;
    use crate::rules::RuleSet;

    /// The unfolded look-up of an ASCII first word answers as the fold's:
    /// every shipped `not_names` word (and given names and surnames, which
    /// are not in it) as written, in capitals, in lower case and lengthened.
    #[test]
    fn an_ascii_word_is_a_not_name_as_its_fold_is() {
        let rules = RuleSet::shipped().unwrap();
        let finder = NameFinder::new(&rules.names[0]).unwrap();
        let lexicon = &rules.names[0];
        let mut asked = 0;
        for word in lexicon.not_names.iter().chain(&lexicon.given).chain(&lexicon.surnames) {
            for form in [word.clone(), word.to_uppercase(), word.to_lowercase(), format!("{word}xxxxxxxxxxxxxxxx")] {
                let by_fold = form.is_ascii() && form.len() <= 16 && finder.not_names.contains(fold(&form).as_ref());
                assert_eq!(finder.is_ascii_not_name(&form), by_fold, "{form:?}");
                asked += usize::from(by_fold);
            }
        }
        assert!(asked > 100, "{asked} not_names asked");
        assert!(finder.find("2026-11-25 10:00:00,000 INFO Anna Ozola logged in", &[], false).len() == 1);
        assert!(finder.find("INFO api.http request finished", &[], false).is_empty());
    }
}

#[cfg(test)]
mod cost {
    use super::*;
    use crate::rules::RuleSet;

    /// `cargo test --release -p pii-core megabyte -- --ignored`, under
    /// `valgrind --tool=callgrind --toggle-collect='*NameFinder::find*'`:
    /// the name finder's cost on the 1 MB Latvian log text of the benchmarks
    /// (a name, a phone and an IBAN every 80 characters; the phone and the
    /// IBAN taken by other rules). Asserts only that every name is found.
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn megabyte_of_latvian_log_text() {
        let rules = RuleSet::shipped().unwrap();
        let finder = NameFinder::new(&rules.names[0]).unwrap();
        let (first, last) = (["Jānis", "Anna", "Līga", "Pēteris", "Ilze"], ["Bērziņš", "Ozols", "Kalniņš", "Liepa", "Vītols"]);
        let (mut text, mut taken, mut count) = (String::new(), Vec::new(), 0);
        while text.len() < 1 << 20 {
            let n = count;
            text.push_str(&format!("klients {} {} samaksāja, tālr. ", first[n % 5], last[n / 5 % 5]));
            let phone = text.len();
            text.push_str(&format!("29{:06}", n % 1_000_000));
            taken.push((phone, text.len()));
            text.push_str(", konts ");
            let iban = text.len();
            text.push_str(&format!("LV80BANK{n:013}"));
            taken.push((iban, text.len()));
            text.push_str("; ");
            count += 1;
        }
        assert_eq!(finder.find(&text, &taken, false).len(), count);
    }
}
