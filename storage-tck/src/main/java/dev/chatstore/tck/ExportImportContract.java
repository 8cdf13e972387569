package dev.chatstore.tck;

/** TCK group: ExportImport. */
public abstract class ExportImportContract extends TckSupport {
}
