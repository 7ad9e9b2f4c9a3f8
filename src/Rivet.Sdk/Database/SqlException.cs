using System;

namespace Rivet;

/// <summary>
/// A statement failed (group <c>sql</c>). The actor keeps running; a failed statement, batch or transaction changed
/// nothing. Thrown from an action it reaches the caller with its group and code.
/// </summary>
public sealed class SqlException : RivetException
{
    /// <summary>The error group of database errors.</summary>
    public const string GroupName = "sql";

    /// <summary>A constraint failed (unique, primary key, not null, check, foreign key).</summary>
    public const string ConstraintCode = "constraint";

    /// <summary>The statement is invalid: a syntax error, an unknown table or column, a wrong number of parameters.</summary>
    public const string InvalidStatementCode = "invalid_statement";

    /// <summary>The database is full or a value is too big.</summary>
    public const string TooBigCode = "too_big";

    /// <summary>The database refused the statement for another reason (see the message).</summary>
    public const string ErrorCode = "error";

    /// <summary>No answer from the database within its bound; the statement may or may not have run.</summary>
    public const string TimeoutCode = "timeout";

    /// <summary>The connection to the engine dropped before it answered; the statement may or may not have run.</summary>
    public const string ConnectionLostCode = "connection_lost";

    /// <summary>The engine refused the request: this actor generation no longer owns the database (it was stopped or moved to another runner).</summary>
    public const string FencedCode = "fenced";

    internal SqlException(string code, string message, Exception? innerException = null)
        : base(GroupName, code, message, innerException: innerException) { }

    /// <summary>The code for a SQLite error message (engine and embedded databases word them the same way).</summary>
    internal static string CodeFor(string message) =>
        message.Contains("constraint failed", StringComparison.OrdinalIgnoreCase) ? ConstraintCode
        : message.Contains("syntax error", StringComparison.OrdinalIgnoreCase)
          || message.Contains("no such ", StringComparison.OrdinalIgnoreCase)
          || message.Contains("already exists", StringComparison.OrdinalIgnoreCase)
          || message.Contains("has no column", StringComparison.OrdinalIgnoreCase)
          || message.Contains("incomplete input", StringComparison.OrdinalIgnoreCase)
          || message.Contains("parameter", StringComparison.OrdinalIgnoreCase) ? InvalidStatementCode
        : message.Contains("too big", StringComparison.OrdinalIgnoreCase) || message.Contains("database or disk is full", StringComparison.OrdinalIgnoreCase) ? TooBigCode
        : ErrorCode;
}
