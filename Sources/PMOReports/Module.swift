// PMOReports
