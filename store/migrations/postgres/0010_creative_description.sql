-- A creative's description: the body of a ChatGPT ad made from it (its headline is the title).
ALTER TABLE creatives ADD COLUMN description TEXT NOT NULL DEFAULT '';
