// PMOInterchange: see docs/scheduling.md
