import PatronCore

extension LocalDate {
    /// Months since year 0: consecutive months differ by one, for cohorts and monthly retention.
    var monthIndex: Int { year * 12 + month - 1 }
}
