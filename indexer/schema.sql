-- onionwatch SQLite schema, version 15 (indexer/sqlite.py applies it to new files; older files are migrated
-- by indexer/sqlite_migrate.py; bump SCHEMA_VERSION and add a migration on every change).
-- Timestamps are UTC 'YYYY-MM-DDTHH:MM:SSZ' (indexer/query.py normalise_ts), so they compare as text.

CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL
);

-- Current state of each listing. `id` is the FTS rowid; (market, listing_id) is the natural key.
CREATE TABLE IF NOT EXISTS listings (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL CHECK (market <> ''),
    listing_id TEXT NOT NULL CHECK (listing_id <> ''),
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    vendor TEXT NOT NULL,
    vendor_key TEXT NOT NULL,
    vendor_id TEXT,
    lang TEXT NOT NULL,
    substance TEXT,
    substance_class TEXT,
    substances TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(substances)),
    quantity_value REAL,
    quantity_unit TEXT,
    dose_value REAL,
    dose_unit TEXT,
    price_amount REAL CHECK (price_amount IS NULL OR price_amount >= 0),
    price_currency TEXT,
    price_usd REAL CHECK (price_usd IS NULL OR price_usd >= 0),
    price_per_gram_usd REAL CHECK (price_per_gram_usd IS NULL OR price_per_gram_usd >= 0),
    price_per_unit_usd REAL CHECK (price_per_unit_usd IS NULL OR price_per_unit_usd >= 0),
    tiers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tiers)),
    category TEXT,
    ships_from TEXT,
    ships_to TEXT,
    location TEXT,
    city TEXT,  -- version 5: shown apart or read from the location (extractors/listing_fields.py)
    district TEXT,
    scraped_at TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    doc_hash TEXT NOT NULL,
    -- change-only recrawls (indexer/changes.py): gone after a complete crawl of the market missed it
    status TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'gone')),
    gone_at TEXT,  -- when the complete crawl that missed it ended (last_seen keeps the last sighting)
    -- version 6 (search keys, indexer/search_keys.py): stemmed text for listings_stem, country, place keys
    title_stems TEXT NOT NULL DEFAULT '',
    description_stems TEXT NOT NULL DEFAULT '',
    vendor_stems TEXT NOT NULL DEFAULT '',
    country TEXT,
    city_key TEXT,
    district_key TEXT,
    -- version 10 (extractors/drug_class.py): 'lexicon' | 'model'; NULL review_reason = nothing to review
    class_source TEXT,
    review_reason TEXT,
    UNIQUE (market, listing_id)
);
CREATE INDEX IF NOT EXISTS listings_market_status ON listings (market, status, last_seen);
CREATE INDEX IF NOT EXISTS listings_market_last_seen ON listings (market, last_seen DESC);
CREATE INDEX IF NOT EXISTS listings_vendor ON listings (vendor_key, market);
CREATE INDEX IF NOT EXISTS listings_review ON listings (review_reason) WHERE review_reason IS NOT NULL;
CREATE INDEX IF NOT EXISTS listings_vendor_id ON listings (market, vendor_id);
CREATE INDEX IF NOT EXISTS listings_price ON listings (price_usd);
CREATE INDEX IF NOT EXISTS listings_first_seen ON listings (first_seen);
CREATE INDEX IF NOT EXISTS listings_city ON listings (city, district);  -- version 7: the map and city view
-- A narrow copy of what facets and paging read per hit, so they never touch the wide rows.
CREATE INDEX IF NOT EXISTS listings_narrow ON listings (id, market, last_seen, listing_id);

-- Append-only price/quantity history: a row when a listing is new, changed (change_key: title, price,
-- tiers; indexer/changes.py) or reappears after being gone. Re-sightings without a change add nothing.
CREATE TABLE IF NOT EXISTS observations (
    listing_pk INTEGER NOT NULL,  -- listings.id (listings are never deleted by onionwatch)
    market TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    price REAL,
    currency TEXT,
    price_usd REAL,
    price_per_gram_usd REAL,
    quantity REAL,
    unit TEXT,
    substance TEXT,
    vendor TEXT NOT NULL,
    vendor_key TEXT NOT NULL,
    day TEXT,  -- period starts of observed_at (indexer/query.py period_start), for trends
    week TEXT,
    month TEXT,
    change_key TEXT,
    UNIQUE (market, listing_id, observed_at)
);
CREATE INDEX IF NOT EXISTS observations_time ON observations (observed_at);
CREATE INDEX IF NOT EXISTS observations_substance ON observations (substance, observed_at);
-- trends walk each listing's observations in time order (carried forward, indexer/changes.py)
CREATE INDEX IF NOT EXISTS observations_listing ON observations (listing_pk, observed_at);

-- Trend rollups (version 9, indexer/sqlite_rollups.py): +1/-1 at the period bounds of every listing's carried
-- segments, summed; written with the rows they summarise (same transaction). Periods: changes.period_index.
CREATE TABLE IF NOT EXISTS trend_counts (
    interval TEXT NOT NULL,
    substance TEXT NOT NULL,
    market TEXT NOT NULL,
    period INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (interval, substance, market, period)
) WITHOUT ROWID;
-- price per gram: a histogram per period (bucket = floor(ln(usd per gram) * 50)) with each bucket's sum in 1e-6 USD
CREATE TABLE IF NOT EXISTS trend_prices (
    interval TEXT NOT NULL,
    substance TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    period INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    micros INTEGER NOT NULL,
    PRIMARY KEY (interval, substance, bucket, period)
) WITHOUT ROWID;
-- active vendors (version 11): per vendor key the same deltas; and +1/-1 at the bounds of each vendor's active
-- ranges, summed per market (a running sum = distinct active vendors per period)
CREATE TABLE IF NOT EXISTS trend_vendors (
    interval TEXT NOT NULL,
    market TEXT NOT NULL,
    vendor_key TEXT NOT NULL,
    period INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (interval, market, vendor_key, period)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trend_vendor_counts (
    interval TEXT NOT NULL,
    market TEXT NOT NULL,
    period INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (interval, market, period)
) WITHOUT ROWID;

-- One row per (listing, canonical substance, known): facets, filters, emerging substances.
CREATE TABLE IF NOT EXISTS listing_substances (
    listing_pk INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    canonical TEXT NOT NULL,
    cls TEXT,
    known INTEGER NOT NULL,
    first_seen TEXT,  -- the listing's first_seen, kept in step (emerging substances without a join)
    -- version 15: 1 on the known row of the smallest canonical among the listing's known rows of its class
    -- (not NULL): the class facet counts a listing once per class by summing it (indexer/sqlite_search.py)
    class_first INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (listing_pk, canonical, known)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS listing_substances_canonical ON listing_substances (canonical, known, listing_pk);
CREATE INDEX IF NOT EXISTS listing_substances_cls ON listing_substances (cls, known, listing_pk);
-- version 14: substances first seen (indexer/sqlite_trends.py) seeks the first entry per substance here
CREATE INDEX IF NOT EXISTS listing_substances_first ON listing_substances (canonical, first_seen);

-- Facet counts per day of last_seen and market (version 12, indexer/sqlite_facet_days.py), kept on write:
-- scope '' every listing, scope S the listings with a listing_substances row of substance S.
CREATE TABLE IF NOT EXISTS facet_days (
    scope TEXT NOT NULL,
    facet TEXT NOT NULL,
    day TEXT NOT NULL,
    market TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (scope, facet, day, market, value)
) WITHOUT ROWID;
-- version 16: the same counts per day of first_seen (a since + until search: facet_days less these)
CREATE TABLE IF NOT EXISTS facet_first_days (
    scope TEXT NOT NULL,
    facet TEXT NOT NULL,
    day TEXT NOT NULL,
    market TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (scope, facet, day, market, value)
) WITHOUT ROWID;

-- facet totals: begin
-- Facet counts over all listings (version 9, indexer/sqlite_facet_totals.py), kept by these triggers.
CREATE TABLE IF NOT EXISTS facet_totals (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS facet_totals_ai AFTER INSERT ON listings BEGIN
    INSERT INTO facet_totals (facet, value, n) SELECT 'market', new.market, 1 WHERE new.market IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'country', new.country, 1 WHERE new.country IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'city', new.city, 1 WHERE new.city IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'district', new.district, 1 WHERE new.district IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS facet_totals_ad AFTER DELETE ON listings BEGIN
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'market' AND value = old.market;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'country' AND value = old.country;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'city' AND value = old.city;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'district' AND value = old.district;
END;
CREATE TRIGGER IF NOT EXISTS facet_totals_au AFTER UPDATE OF market, country, city, district ON listings
WHEN old.market IS NOT new.market OR old.country IS NOT new.country OR old.city IS NOT new.city
  OR old.district IS NOT new.district
BEGIN
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'market' AND value = old.market;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'country' AND value = old.country;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'city' AND value = old.city;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'district' AND value = old.district;
    INSERT INTO facet_totals (facet, value, n) SELECT 'market', new.market, 1 WHERE new.market IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'country', new.country, 1 WHERE new.country IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'city', new.city, 1 WHERE new.city IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'district', new.district, 1 WHERE new.district IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS facet_totals_sub_ai AFTER INSERT ON listing_substances WHEN new.known = 1 BEGIN
    INSERT INTO facet_totals (facet, value, n) SELECT 'substance', new.canonical, 1 WHERE true
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO facet_totals (facet, value, n) SELECT 'substance_class', new.cls, 1
        WHERE new.cls IS NOT NULL AND (SELECT count(*) FROM listing_substances
            WHERE listing_pk = new.listing_pk AND cls = new.cls AND known = 1) = 1
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS facet_totals_sub_ad AFTER DELETE ON listing_substances WHEN old.known = 1 BEGIN
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'substance' AND value = old.canonical;
    UPDATE facet_totals SET n = n - 1 WHERE facet = 'substance_class' AND value = old.cls
        AND NOT EXISTS (SELECT 1 FROM listing_substances WHERE listing_pk = old.listing_pk AND cls = old.cls
                        AND known = 1);
END;
-- facet totals: end

CREATE TABLE IF NOT EXISTS vendors (
    market TEXT NOT NULL CHECK (market <> ''),
    vendor_id TEXT NOT NULL CHECK (vendor_id <> ''),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    url TEXT NOT NULL,
    rating REAL,
    sales INTEGER,
    joined TEXT,
    pgp_fingerprint TEXT,
    pgp_key_id TEXT,
    contacts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(contacts)),
    crypto_addresses TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(crypto_addresses)),
    description TEXT NOT NULL,
    scraped_at TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    doc_hash TEXT NOT NULL,
    PRIMARY KEY (market, vendor_id)
);
CREATE INDEX IF NOT EXISTS vendors_pgp ON vendors (pgp_fingerprint);
CREATE INDEX IF NOT EXISTS vendors_name_norm ON vendors (name_norm);
CREATE INDEX IF NOT EXISTS vendors_name_key ON vendors (market, name_key);

-- Vendor profile changes: one row per changed field (name, pgp_fingerprint, pgp_key_id, contacts,
-- crypto_addresses), old and new value as text (dicts as sorted JSON), at the newer profile's scraped_at.
CREATE TABLE IF NOT EXISTS vendor_history (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL,
    vendor_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_at TEXT NOT NULL,
    UNIQUE (market, vendor_id, field, changed_at)
);
CREATE INDEX IF NOT EXISTS vendor_history_vendor ON vendor_history (market, vendor_id, changed_at);

-- Identifiers to pivot on (version 7; indexer/identifiers.py, indexer/sqlite_identifiers.py): one row per
-- identifier of a listing (from its title, description and vendor name) or vendor (from its profile).
CREATE TABLE IF NOT EXISTS identifiers (
    kind TEXT NOT NULL,  -- btc, xmr, eth, ltc, tg, jabber, session, wickr, email, pgp, vendor
    value TEXT NOT NULL,  -- canonical spelling (indexer/identifiers.py normalise)
    owner TEXT NOT NULL CHECK (owner IN ('listing', 'vendor')),
    market TEXT NOT NULL,
    owner_id TEXT NOT NULL,  -- listing_id or vendor_id
    PRIMARY KEY (kind, value, owner, market, owner_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identifiers_owner ON identifiers (owner, market, owner_id);

-- Full text over title, description and vendor, external content kept in sync by triggers.
CREATE VIRTUAL TABLE IF NOT EXISTS listings_fts USING fts5 (
    title, description, vendor,
    content = 'listings', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS listings_fts_ai AFTER INSERT ON listings BEGIN
    INSERT INTO listings_fts (rowid, title, description, vendor)
    VALUES (new.id, new.title, new.description, new.vendor);
END;
CREATE TRIGGER IF NOT EXISTS listings_fts_ad AFTER DELETE ON listings BEGIN
    INSERT INTO listings_fts (listings_fts, rowid, title, description, vendor)
    VALUES ('delete', old.id, old.title, old.description, old.vendor);
END;
CREATE TRIGGER IF NOT EXISTS listings_fts_au AFTER UPDATE OF title, description, vendor ON listings
WHEN old.title IS NOT new.title OR old.description IS NOT new.description OR old.vendor IS NOT new.vendor
BEGIN
    INSERT INTO listings_fts (listings_fts, rowid, title, description, vendor)
    VALUES ('delete', old.id, old.title, old.description, old.vendor);
    INSERT INTO listings_fts (rowid, title, description, vendor)
    VALUES (new.id, new.title, new.description, new.vendor);
END;

-- Version 6: the same columns stemmed (Snowball Russian/English, indexer/search_keys.py), for word forms.
CREATE VIRTUAL TABLE IF NOT EXISTS listings_stem USING fts5 (
    title_stems, description_stems, vendor_stems,
    content = 'listings', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS listings_stem_ai AFTER INSERT ON listings BEGIN
    INSERT INTO listings_stem (rowid, title_stems, description_stems, vendor_stems)
    VALUES (new.id, new.title_stems, new.description_stems, new.vendor_stems);
END;
CREATE TRIGGER IF NOT EXISTS listings_stem_ad AFTER DELETE ON listings BEGIN
    INSERT INTO listings_stem (listings_stem, rowid, title_stems, description_stems, vendor_stems)
    VALUES ('delete', old.id, old.title_stems, old.description_stems, old.vendor_stems);
END;
CREATE TRIGGER IF NOT EXISTS listings_stem_au AFTER UPDATE OF title_stems, description_stems, vendor_stems
ON listings
WHEN old.title_stems IS NOT new.title_stems OR old.description_stems IS NOT new.description_stems
  OR old.vendor_stems IS NOT new.vendor_stems
BEGIN
    INSERT INTO listings_stem (listings_stem, rowid, title_stems, description_stems, vendor_stems)
    VALUES ('delete', old.id, old.title_stems, old.description_stems, old.vendor_stems);
    INSERT INTO listings_stem (rowid, title_stems, description_stems, vendor_stems)
    VALUES (new.id, new.title_stems, new.description_stems, new.vendor_stems);
END;
-- a narrow copy of the place columns per id (facets read it instead of the wide rows)
CREATE INDEX IF NOT EXISTS listings_places ON listings (id, country, city, district);
CREATE INDEX IF NOT EXISTS listings_city_key ON listings (city_key);
-- version 9: all four column facets over the hits in one pass; newest-first paging without a sort;
-- version 13: price_usd too, so price filters on a word's hits read no wide rows
CREATE INDEX IF NOT EXISTS listings_facets ON listings (id, market, country, city, district, price_usd);
CREATE INDEX IF NOT EXISTS listings_recent ON listings (last_seen DESC, market, listing_id);
-- version 11: seen/since/until (live in a period: the emerging test) without reading the rows; replaces
-- listings_last_seen (last_seen DESC), which it serves as well
CREATE INDEX IF NOT EXISTS listings_seen ON listings (last_seen, first_seen);

CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL CHECK (json_valid(definition)),
    created_at TEXT NOT NULL
);

-- Alerts (version 8, indexer/watch_alerts.py): kind 'new' (a new matching listing) or 'price' (a matched
-- listing's price moved by the watch's threshold); a snapshot of the listing; acknowledgement and delivery marks.
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'price')),
    market TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    vendor TEXT NOT NULL DEFAULT '',
    price_usd REAL,
    old_price_usd REAL,
    price_amount REAL,
    price_currency TEXT,
    observed_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acked_at TEXT,
    acked_by TEXT,
    notified_at TEXT,
    digest_at TEXT,
    UNIQUE (watch_id, market, listing_id, kind, observed_at)
);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at);
CREATE INDEX IF NOT EXISTS alerts_listing ON alerts (watch_id, market, listing_id, id);

-- One row per crawl (crawler/run.py): its state and counters, kept up to date while it runs.
-- status: running | complete | partial | failed | interrupted (crawler/outcome.py CrawlStatus)
CREATE TABLE IF NOT EXISTS crawls (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL CHECK (market <> ''),
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT,
    counters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counters)),
    reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),
    fill_rates TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fill_rates))
);
CREATE INDEX IF NOT EXISTS crawls_market ON crawls (market, id DESC);

-- The health of each market mirror over time (indexer/sqlite_mirrors.py): one row per probe
-- (`onionwatch markets health`, source probe) or per mirror a crawl used (source crawl).
CREATE TABLE IF NOT EXISTS mirror_health (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL CHECK (market <> ''),
    mirror TEXT NOT NULL CHECK (mirror <> ''),
    checked_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('probe', 'crawl')),
    up INTEGER NOT NULL CHECK (up IN (0, 1)),
    status INTEGER,
    latency_ms REAL,
    requests INTEGER NOT NULL DEFAULT 1,
    failures INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX IF NOT EXISTS mirror_health_market ON mirror_health (market, checked_at);
