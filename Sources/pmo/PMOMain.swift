import Foundation
import PMOCLI

@main
enum PMOMain {
    static func main() async {
        exit(await PMOCommand.run(Array(CommandLine.arguments.dropFirst())))
    }
}
