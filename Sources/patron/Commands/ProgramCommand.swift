import ArgumentParser
import PatronCore
import PatronFiles
import PatronServices
import PatronStore

/// `patron program …`: validate, load and show the loyalty program.
struct ProgramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "program", abstract: "Validate, load and show the loyalty program.",
        subcommands: [Validate.self, Explain.self, Load.self, Show.self, ProgramCompare.self])

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a program in plain words: levels, benefits and the earning rules in order.")
        @Argument(help: "The program file (YAML or JSON).") var file: String

        func run() async throws {
            try await reportingErrors {
                print(ProgramExplanation(program: try ProgramFile.load(path: file).program).text)
            }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a program file and report every problem with its path.",
            discussion: "Segments named by message triggers are checked against the database's segments when it exists (--database, "
                + "PATRON_DATABASE, else patron.sqlite; only read), and against the file's own segments: section.")
        @Argument(help: "The program file (YAML or JSON).") var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let (program, source) = try ProgramFile.load(path: file)
                if program.messages?.triggers.contains(where: { $0.segment != nil }) == true {
                    if (try? StoreOptions.requireExisting(store.database)) != nil {
                        // A load's own check (ProgramChanges) against the database's segments; nothing is written.
                        let context = ServiceContext(store: try SQLStore.open(store.database, clock: try store.clock()), clock: try store.clock())
                        do {
                            try await ProgramChanges(context: context).checkSegments(program, source: source)
                        } catch var error as PatronError {
                            error.message = "\(file): \(error.message)"
                            throw error
                        }
                    } else {
                        let references = try ProgramFile.segmentReferences(source)
                        for reference in references.used where !references.defined.contains(reference.name) {
                            print("note: \(reference.path) (line \(reference.line)): segment '\(reference.name)' not checked: no database at \(store.databaseName)")
                        }
                    }
                }
                print("\(file): valid — \(program.name), \(program.currency.code), \(program.timeZone.identifier)")
            }
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a program file the current version (a changed file makes a new version).")
        @Argument(help: "The program file (YAML or JSON).") var file: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOption

        func run() async throws {
            try await reportingErrors {
                let (program, source) = try ProgramFile.load(path: file)
                // Loading a programme is the first step of every setup script, often run where neither USER nor
                // LOGNAME is set (containers, CI): the load is then recorded as by `cli` rather than refused.
                let who = (try? actor.resolve()) ?? "cli"
                let context = ServiceContext(store: try await store.open(create: true), clock: try store.clock())
                let version = try await ProgramChanges(context: context).load(source: source, actor: who)
                print(version.isNew ? "loaded \(program.name) as version \(version.version)" : "\(program.name) is unchanged (version \(version.version))")
                // Triggers may name segments the file defines but the database does not have yet.
                if program.messages?.triggers.contains(where: { $0.segment != nil }) == true {
                    let stored = Set(try await context.store.segments().map(\.definition.name))
                    for reference in try ProgramFile.segmentReferences(source).used where !stored.contains(reference.name) {
                        print(
                            "note: \(reference.path) (line \(reference.line)): segment '\(reference.name)' is defined in this file but not stored yet; "
                                + "load it with `patron segments load \(file)` (until then it holds nobody)")
                    }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the current program.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let opened = try await store.open()
                guard let version = try await opened.currentProgram() else {
                    throw PatronError(.noProgram, "no program is loaded; run `patron program load FILE`")
                }
                print("# version \(version.version), loaded \(InstantFormat(zone: version.program.timeZone).text(version.loadedAt))")
                print(version.source)
            }
        }
    }
}
