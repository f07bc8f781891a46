/// An error raised by an analysis: a stable machine-readable code, a human message and context.
public struct AnalyticsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable identifier of the kind of error, e.g. `"empty_input"`.
    public var code: String
    /// A sentence for a person, saying what is wrong and with which value.
    public var message: String
    /// Extra facts (the offending customer, day, amount …), keyed by name.
    public var context: [String: String]

    /// Creates an error.
    public init(code: String, message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// No purchases were given.
    public static let emptyInput = "empty_input"
    /// A purchase has a negative amount.
    public static let negativeAmount = "negative_amount"
    /// The calibration period contains no purchase.
    public static let noCalibrationData = "no_calibration_data"
    /// The observation end lies before the calibration end.
    public static let invalidPeriod = "invalid_period"
    /// An option is out of range (negative horizon, discount rate ≤ −1, …).
    public static let invalidOption = "invalid_option"
    /// The data cannot identify a model (e.g. no repeat customers).
    public static let insufficientData = "insufficient_data"
    /// The optimiser could not find a finite likelihood.
    public static let fitFailed = "fit_failed"
    /// A text input could not be parsed.
    public static let parseError = "parse_error"
}
