-- (PostgreSQL keeps the lowered campaign name in a stored column for searches here. SQLite
-- needs nothing: its LIKE already ignores ASCII letter case, and a search compares the name.)

-- The trash is listed a page at a time without reading each item's document (a campaign with
-- a thousand creatives is half a megabyte of JSON): what the list shows of it is kept beside it.
ALTER TABLE trash ADD COLUMN slug TEXT;
ALTER TABLE trash ADD COLUMN creatives INTEGER NOT NULL DEFAULT 0;
UPDATE trash SET
    slug = json_extract(document, '$.campaign.slug'),
    creatives = CASE WHEN kind = 'campaign' THEN json_array_length(document, '$.creatives') ELSE 0 END;
