"""The full-text index compared with the turns it should hold (for undo tests)."""

from __future__ import annotations


def index_terms(db) -> list:
    """Every (term, turn id, position) the full-text index holds."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_turns USING fts5vocab(main, turn_fts, 'instance')")
    rows = db.execute("SELECT term, doc, offset FROM temp.vocab_turns ORDER BY doc, offset").fetchall()
    db.execute("DROP TABLE temp.vocab_turns")
    return rows


def expected_terms(db) -> list:
    """What the index should hold: every turn's words, indexed afresh."""
    db.execute("CREATE VIRTUAL TABLE temp.fresh_fts USING fts5(body, content = '', "
               "tokenize = 'unicode61 remove_diacritics 2')")
    texts = dict(db.execute("SELECT id, text FROM transcripts").fetchall())
    for turn_id, transcript_id, start, end in db.execute("SELECT id, transcript_id, start, end FROM turns").fetchall():
        db.execute("INSERT INTO temp.fresh_fts (rowid, body) VALUES (?, ?)", [turn_id, texts[transcript_id][start:end]])
    db.execute("CREATE VIRTUAL TABLE temp.vocab_fresh USING fts5vocab(temp, fresh_fts, 'instance')")
    rows = db.execute("SELECT term, doc, offset FROM temp.vocab_fresh ORDER BY doc, offset").fetchall()
    db.execute("DROP TABLE temp.vocab_fresh")
    db.execute("DROP TABLE temp.fresh_fts")
    return rows
