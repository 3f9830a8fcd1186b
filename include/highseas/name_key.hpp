/// @file
/// Normalised customer names, for the duplicate check (撞单).
///
/// Two rows that a salesperson would call "the same company" should collide even
/// when typed differently: "ACME Trading Co., Ltd." and "acme trading co ltd"
/// and the full-width "ＡＣＭＥ　Ｔｒａｄｉｎｇ" reduce to the same key, and so do
/// "Café" typed on a keyboard and "Cafe\u0301" from a macOS export (e plus a
/// combining acute accent).
///
/// The key is the name in Unicode NFKC with full case folding, computed with
/// utf8proc (not hand-written tables, so every script is covered the same way
/// and a Unicode update is a library update), minus every code point whose
/// general category is a separator (Z*), punctuation (P*), symbol (S*), control
/// (Cc) or format character (Cf):
///   - NFKC composes "e" + U+0301 into "é" and maps compatibility forms to their
///     plain letters: full-width "Ａ" to "A", the ligature "ﬁ" to "fi", "™" to "TM";
///   - case folding covers every cased script: "ΑΘΗΝΑ" and "αθηνα", "МОСКВА" and
///     "москва", "STRASSE" and "straße" collide;
///   - spaces, punctuation and symbols (ASCII, CJK "（）。、", "©", emoji) are
///     decoration, not part of the name; zero-width and direction marks (Cf)
///     are invisible. Letters (also those of the CJK iteration mark "々"),
///     marks and numbers are kept, as are code points Unicode has not assigned.
/// Accents are not stripped: "Café" and "Cafe" stay different companies.
///
/// Keys stored by earlier versions (hand-written tables: ASCII case only, no
/// composition) are recomputed when the SQLite or PostgreSQL storage opens an
/// older database (SQLite schema 4 -> 5, PostgreSQL 2 -> 3).
///
/// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "highseas/detail/config.hpp"

namespace highseas {

/// Returns the duplicate-check key of a customer name (see above); empty for
/// text that is not valid UTF-8 or has nothing but spaces, punctuation and
/// symbols. Allocates only the returned string unless the name decomposes into
/// more than 256 code points.
std::string name_key(std::string_view name);

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/name_key-inl.hpp"  // IWYU pragma: export
#endif
