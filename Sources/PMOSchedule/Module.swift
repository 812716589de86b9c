// PMOSchedule: see docs/scheduling.md
