// analytics-bench: times the PatronAnalytics fits on summary CSV files written by Benchmarks/analytics/bench.py and
// prints one JSON object. Usage:
//   analytics-bench --bgnbd FILE --pareto FILE [--cdnow-master FILE] [--threads N] [--days-per-month D]
//   analytics-bench --end-to-end CUSTOMERS   (CLVAnalysis.run on synthetic purchases, with peak memory)
// Each CSV has the header `frequency,recency,T,monetary_value` (recency and T in weeks, monetary in major units).
import Foundation
import PatronAnalytics
import PatronCore

struct Columns {
    var frequency: [Int] = []
    var recency: [Double] = []
    var T: [Double] = []
    var monetary: [Double] = []
}

/// Reads a numeric CSV with a header line, fast (strtod on the raw bytes).
func readCSV(_ path: String) throws -> Columns {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var c = Columns()
    let estimated = data.count / 30
    c.frequency.reserveCapacity(estimated); c.recency.reserveCapacity(estimated)
    c.T.reserveCapacity(estimated); c.monetary.reserveCapacity(estimated)
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
        let end = base + raw.count
        var p = base
        while p < end && p.pointee != 10 { p += 1 }  // skip header
        var fields = [Double](repeating: 0, count: 4)
        while p < end {
            while p < end && (p.pointee == 10 || p.pointee == 13) { p += 1 }
            if p >= end { break }
            for k in 0..<4 {
                var next: UnsafeMutablePointer<CChar>?
                fields[k] = strtod(p, &next)
                p = UnsafePointer(next!)
                if p < end && p.pointee == 44 { p += 1 }
            }
            c.frequency.append(Int(fields[0])); c.recency.append(fields[1])
            c.T.append(fields[2]); c.monetary.append(fields[3])
        }
    }
    return c
}

/// Reads CDNOW_master.txt (header; customer id, yyyyMMdd, CDs, dollars) into purchases, parsing the bytes directly.
func readCDNOW(_ path: String) throws -> [Purchase] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var purchases: [Purchase] = []
    purchases.reserveCapacity(data.count / 30)
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var i = 0
        let n = bytes.count
        while i < n && bytes[i] != 10 { i += 1 }  // header
        func skipBlanks() { while i < n && (bytes[i] == 32 || bytes[i] == 9) { i += 1 } }
        while i < n {
            while i < n && (bytes[i] == 10 || bytes[i] == 13 || bytes[i] == 32) { i += 1 }
            if i >= n { break }
            let idStart = i
            while i < n && bytes[i] != 32 && bytes[i] != 9 { i += 1 }
            let customer = String(decoding: UnsafeBufferPointer(rebasing: bytes[idStart..<i]), as: UTF8.self)
            skipBlanks()
            var ymd = 0
            while i < n && bytes[i] >= 48 && bytes[i] <= 57 { ymd = ymd * 10 + Int(bytes[i] - 48); i += 1 }
            skipBlanks()
            while i < n && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }  // CDs
            skipBlanks()
            var cents: Int64 = 0, decimals = -1
            while i < n && ((bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == 46) {
                if bytes[i] == 46 { decimals = 0 } else {
                    cents = cents * 10 + Int64(bytes[i] - 48)
                    if decimals >= 0 { decimals += 1 }
                }
                i += 1
            }
            if decimals < 0 { decimals = 0 }
            while decimals < 2 { cents *= 10; decimals += 1 }
            while i < n && bytes[i] != 10 { i += 1 }
            let day = LocalDate(year: ymd / 10000, month: ymd / 100 % 100, day: ymd % 100)!.dayNumber
            purchases.append(Purchase(customer: customer, day: day, amount: cents))
        }
    }
    return purchases
}


func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

var arguments: [String: String] = [:]
var index = 1
let argv = CommandLine.arguments
while index < argv.count {
    if argv[index].hasPrefix("--"), index + 1 < argv.count {
        arguments[String(argv[index].dropFirst(2))] = argv[index + 1]
        index += 2
    } else {
        index += 1
    }
}
let threads = Int(arguments["threads"] ?? "2") ?? 2
let daysPerMonth = Double(arguments["days-per-month"] ?? "") ?? 365.25 / 12
var out: [String: Any] = ["threads": threads, "daysPerMonth": daysPerMonth]

do {
    if let path = arguments["bgnbd"] {
        var c = Columns()
        out["bgnbdLoadSeconds"] = try seconds { c = try readCSV(path) }
        out["bgnbdCustomers"] = c.frequency.count
        var fit: ModelFit<BGNBD>?
        out["bgnbdFitSeconds"] = try seconds {
            let data = try FrequencyRecencyData(frequency: c.frequency, recency: c.recency, T: c.T)
            fit = try BGNBD.fit(data, options: FitOptions(threads: threads))
        }
        let m = fit!.model
        out["bgnbd"] = ["r": m.r, "alpha": m.alpha, "a": m.a, "b": m.b, "logLikelihood": fit!.logLikelihood,
                        "iterations": fit!.convergence.iterations, "evaluations": fit!.convergence.evaluations,
                        "gradientNorm": fit!.convergence.gradientNorm, "converged": fit!.convergence.converged]
        var gg: ModelFit<GammaGamma>?
        out["gammaGammaFitSeconds"] = try seconds {
            gg = try GammaGamma.fit(frequency: c.frequency, monetaryValue: c.monetary, options: FitOptions(threads: threads))
        }
        out["gammaGamma"] = ["p": gg!.model.p, "q": gg!.model.q, "v": gg!.model.v, "customers": gg!.customers]
        var clv: [Double] = []
        out["clvSeconds"] = try seconds {
            let data = try FrequencyRecencyData(frequency: c.frequency, recency: c.recency, T: c.T)
            let spend = zip(c.frequency, c.monetary).map {
                gg!.model.expectedAverageSpend(frequency: $0, monetaryValue: $1)
            }
            clv = try CustomerLifetimeValue.values(
                model: m, data: data, expectedSpend: spend, period: .week,
                options: CLVOptions(horizonMonths: 12, monthlyDiscountRate: 0.01, daysPerMonth: daysPerMonth))
        }
        out["clvMean"] = clv.reduce(0, +) / Double(max(1, clv.count))
        out["clvFirst"] = Array(clv.prefix(5))
    }
    if let path = arguments["pareto"] {
        let c = try readCSV(path)
        out["paretoCustomers"] = c.frequency.count
        var fit: ModelFit<ParetoNBD>?
        out["paretoFitSeconds"] = try seconds {
            let data = try FrequencyRecencyData(frequency: c.frequency, recency: c.recency, T: c.T)
            fit = try ParetoNBD.fit(data, options: FitOptions(threads: threads))
        }
        let m = fit!.model
        out["pareto"] = ["r": m.r, "alpha": m.alpha, "s": m.s, "beta": m.beta, "logLikelihood": fit!.logLikelihood,
                         "iterations": fit!.convergence.iterations, "evaluations": fit!.convergence.evaluations,
                         "gradientNorm": fit!.convergence.gradientNorm, "converged": fit!.convergence.converged]
    }
    if let path = arguments["cdnow-master"] {
        var purchases: [Purchase] = []
        out["cdnowParseSeconds"] = try seconds { purchases = try readCDNOW(path) }
        let options = SummaryOptions(period: .week, calibrationEnd: LocalDate(year: 1997, month: 9, day: 30)!.dayNumber)
        var times: [Double] = []
        var customers = 0
        for _ in 0..<7 {
            times.append(try seconds { customers = try CustomerSummary.build(from: purchases, options: options).count })
        }
        out["cdnowPurchases"] = purchases.count
        out["cdnowCustomers"] = customers
        out["cdnowSummarySecondsMedian"] = times.sorted()[times.count / 2]
        out["cdnowSummarySecondsFirst"] = times[0]
    }
    if let text = arguments["end-to-end"], let customers = Int(text) {
        // The whole `patron analyze clv` pipeline on synthetic purchases: summary, three fits, holdout, CLV.
        // Purchases drawn from the Pareto/NBD and Gamma-Gamma processes (CDNOW-like parameters, weeks), on days
        // 0…545 with first purchases in days 0…89, so the calibration end (day 272) leaves 39 weeks of holdout.
        var rng = SplitMix(seed: 20261125)
        var purchases: [Purchase] = []
        purchases.reserveCapacity(customers * 4)
        for c in 0..<customers {
            let id = "customer-\(c)"
            let first = Double(rng.next() % 90)
            let lambda = rng.gamma(shape: 0.553, rate: 10.578) / 7  // purchases per day
            let mu = rng.gamma(shape: 0.606, rate: 11.669) / 7  // dropout rate per day
            let end = min(first + rng.exponential(rate: mu), 545.999)
            let nu = rng.gamma(shape: 3.74, rate: 15.44)
            var t = first
            repeat {
                let dollars = rng.gamma(shape: 6.25, rate: nu)
                purchases.append(Purchase(customer: id, day: Int(t), amount: Int64((dollars * 100).rounded())))
                t += rng.exponential(rate: lambda)
            } while t <= end
        }
        out["endToEndPurchases"] = purchases.count
        var report: CLVReport?
        out["endToEndSeconds"] = try seconds {
            report = try CLVAnalysis.run(purchases: purchases, options: CLVAnalysisOptions(
                period: .week, calibrationEnd: 272, observationEnd: 545, fit: FitOptions(threads: threads)))
        }
        out["endToEndCustomers"] = report!.customers
        out["endToEndCLVMean"] = report!.clv.mean as Any
        let pn = report!.models.paretoNbd, bg = report!.models.bgnbd
        out["endToEndParetoNBD"] = ["r": pn.r, "alpha": pn.alpha, "s": pn.s, "beta": pn.beta,
                                    "iterations": pn.convergence.iterations, "evaluations": pn.convergence.evaluations,
                                    "converged": pn.convergence.converged]
        out["endToEndBGNBD"] = ["r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b,
                                "iterations": bg.convergence.iterations, "evaluations": bg.convergence.evaluations,
                                "converged": bg.convergence.converged]
    }
    out["peakRSSMegabytes"] = peakRSSMegabytes()
    let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("analytics-bench: \(error)\n".utf8))
    exit(1)
}
