package dev.chatstore.cli;

import picocli.CommandLine.Option;

import java.util.Optional;

/** The {@code --format table|json|jsonl} option of every command that prints data, mixed into each of them. */
final class FormatOption {

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatOption.Converter.class,
            description = "table, json or jsonl (default: table on a terminal, jsonl otherwise).")
    OutputFormat format;

    /** The chosen format, else the default for where the output goes. */
    OutputFormat resolve(boolean terminal) {
        return Optional.ofNullable(format).orElse(terminal ? OutputFormat.TABLE : OutputFormat.JSONL);
    }

    /** Accepts the lower-case names the help shows (and any case), naming the choices when the value is wrong. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : OutputFormat.values()) {
                if (f.option().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format: use table, json"
                    + " or jsonl");
        }
    }
}
