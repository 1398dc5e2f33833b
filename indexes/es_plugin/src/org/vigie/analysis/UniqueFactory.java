package org.vigie.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/** The unique filter under its built-in name (the security index's email analyzer uses it). */
@NamedComponent("unique")
public class UniqueFactory implements TokenFilterFactory {
    private final boolean onlyOnSamePosition;

    @Inject
    public UniqueFactory(UniqueSettings settings) {
        this.onlyOnSamePosition = settings.onlyOnSamePosition();
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new UniqueTokenFilter(tokenStream, onlyOnSamePosition);
    }
}
