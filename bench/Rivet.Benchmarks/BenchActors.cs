using System.Collections.Generic;

namespace Rivet.Benchmarks;

/// <summary>State of <see cref="BenchCounter"/>.</summary>
public sealed class BenchCounterState
{
    public int Count { get; set; }
}

/// <summary>One line of a <see cref="Order"/>.</summary>
public sealed record OrderItem(string Sku, int Quantity, double Price);

/// <summary>Nested object of a <see cref="Order"/>.</summary>
public sealed record Address(string Street, string City, string Country);

/// <summary>The "medium" payload: a few strings, a list of 20 items, a nested object.</summary>
public sealed record Order(string Id, string Customer, string Note, List<OrderItem> Items, Address Shipping)
{
    public static Order Sample()
    {
        var items = new List<OrderItem>(20);
        for (var i = 0; i < 20; i++)
        {
            items.Add(new OrderItem("sku-" + i, i + 1, 9.99 + i));
        }
        return new Order("order-0001", "Ada Lovelace", "Leave at the door, please.", items, new Address("12 Analytical St", "London", "GB"));
    }
}

/// <summary>The benchmark actor: a counter (state change / no change) and an echo of a medium payload.</summary>
[Actor("benchCounter")]
public partial class BenchCounter : Actor<BenchCounterState>
{
    [Action] public int Increment(int amount = 1) => State.Count += amount;

    [Action] public int GetCount() => State.Count;

    [Action] public Order Echo(Order order) => order;
}
