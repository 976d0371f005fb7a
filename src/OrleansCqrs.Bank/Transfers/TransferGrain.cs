using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Processes;

namespace OrleansCqrs.Bank.Transfers;

/// <summary>
/// The transfer process manager: requested → debited → credited → completed; or failed with the source's refusal; or,
/// when the destination refuses the money after the debit, refunded to the source and failed with the destination's
/// refusal. Each step on an account is a command whose id is derived from the transfer id and the step, so a step run
/// again (after a crash, by the process resumer) is answered with its first outcome and moves no money twice.
/// The debit and the credit run back to back and are recorded together with the outcome, one append for the three
/// (a step replayed after a crash answers the same, so nothing is lost by recording them late).
/// It keeps no snapshot (<see cref="UnsavedSnapshot{TState}"/>): its few events are read from its stream on activation.
/// </summary>
[ProcessManager(StreamName)]
public sealed class TransferGrain(AggregateServices services)
    : ProcessManagerGrain<TransferState, ITransferCommand>(new UnsavedSnapshot<TransferState>(), services), ITransferGrain
{
    public const string StreamName = "bank.transfer";

    /// <summary>The longest a read waits for a transfer to end.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time = services.Time;
    private TaskCompletionSource? _ended;

    private string TransferId => this.GetPrimaryKeyString();

    protected override bool IsEnded(TransferState state) => state.HasEnded;

    protected override Decision Decide(TransferState state, ITransferCommand command) => command switch
    {
        RequestTransfer request => TransferDecider.Request(state, request, _time.GetUtcNow()),
        _ => throw new ArgumentException($"A transfer does not take {command?.GetType().Name ?? "null"}.", nameof(command)),
    };

    protected override Rejection? Authorize(TransferState state, ITransferCommand command, Actor? actor) =>
        actor is null || actor.IsInRole(BankRoles.Operator) || command is RequestTransfer { CustomerId: var customer } && actor.ActsFor(customer)
            ? null
            : TransferRejections.OtherCustomer;

    protected override async Task StepAsync(TransferState state)
    {
        var request = state.Request!;
        switch (state.Phase)
        {
            case TransferPhase.Requested:
                await DebitAndCreditAsync(request);
                break;
            case TransferPhase.Refunding:
                await RefundAsync(request, state.Code!, state.Reason!);
                break;
            default:
                throw new InvalidOperationException($"Transfer {TransferId} has no step after {state.Phase}.");
        }

        if (State.HasEnded)
        {
            _ended?.TrySetResult();
        }
    }

    public async Task<TransferView?> Get(TimeSpan waitForEnd)
    {
        if (HasStarted && !State.HasEnded && waitForEnd > TimeSpan.Zero)
        {
            _ended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await _ended.Task.WaitAsync(waitForEnd < MaxWait ? waitForEnd : MaxWait, _time);
            }
            catch (TimeoutException)
            {
                // Still pending: answered as it is.
            }
        }

        return View();
    }

    private async Task DebitAndCreditAsync(TransferRequested request)
    {
        var debit = await Account(request.FromAccountId).Execute(
            new SendTransfer(TransferId, request.ToAccountId, request.Amount, request.Currency),
            StepContext("debit", request.CustomerId is { } customer ? new Actor($"transfer:{TransferId}", customer, []) : null));
        if (debit.Rejection is { } refused)
        {
            await RecordAsync("debit-refused", _ => Decision.Emit(new TransferFailed(refused.Code, refused.Message, Now)));
            return;
        }

        var credit = await Account(request.ToAccountId).Execute(
            new ReceiveTransfer(TransferId, request.FromAccountId, request.Amount, request.Currency),
            StepContext("credit"));
        var at = Now;
        await (credit.Rejection is { } creditRefused
            ? RecordAsync("credit-refused", _ => Decision.Emit(new TransferDebited(at), new TransferCreditRefused(creditRefused.Code, creditRefused.Message, at)))
            : RecordAsync("completed", _ => Decision.Emit(new TransferDebited(at), new TransferCredited(at), new TransferCompleted(at))));
    }

    private async Task RefundAsync(TransferRequested request, string code, string reason)
    {
        var refund = await Account(request.FromAccountId).Execute(
            new ReturnTransfer(TransferId, request.ToAccountId, request.Amount),
            StepContext("refund"));
        if (refund.Rejection is { } refused)
        {
            // Only an account that never existed refuses, and the debit proved it does: the resumer tries again.
            throw new InvalidOperationException($"Transfer {TransferId}: the source refused its refund: {refused}");
        }

        var at = Now;
        await RecordAsync("refunded", _ => Decision.Emit(new TransferRefunded(at), new TransferFailed(code, reason, at)));
    }

    private IAccountGrain Account(string accountId) => GrainFactory.GetGrain<IAccountGrain>(accountId);

    private DateTimeOffset Now => _time.GetUtcNow();

    private TransferView? View() => State.Request is not { } request
        ? null
        : new TransferView(
            TransferId,
            request.FromAccountId,
            request.ToAccountId,
            request.Amount,
            request.Currency,
            State.Phase switch
            {
                TransferPhase.Completed => TransferView.Completed,
                TransferPhase.Failed => TransferView.Failed,
                _ => TransferView.Pending,
            },
            State.HasEnded ? State.Code : null,
            State.HasEnded ? State.Reason : null,
            State.Steps,
            request.CustomerId,
            Version);
}
