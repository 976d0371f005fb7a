namespace OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

public interface IWalletCommand;
