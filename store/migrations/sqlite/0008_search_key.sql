-- PostgreSQL keeps the lowered campaign name in a stored column for searches (0008 there).
-- SQLite needs nothing: its LIKE already ignores ASCII letter case, and a search there compares
-- the name itself. This twin keeps both backends at the same migration number.
SELECT 1;
